import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { programmes } from '../../infra/local/demo-data.ts';
import { writeDemoFiles } from '../../infra/local/demo-files.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { day, instant } from '../support/clock.ts';

// The local stack as a caller meets it: real HTTP to the gateway, real handlers, DynamoDB Local.
// Proves the gateway reads the route table, authorises like API Gateway's JWT authorizer and
// that seeding through the admin API leaves a usable catalogue.

let stack: LocalStack;
let admin: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: true, quiet: true });
  admin = await stack.mintToken('admin');
}, 60_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const call = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${stack.url}${path}`, {
    ...init,
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });

const put = (path: string, body: unknown, token = admin) => call(path, { method: 'PUT', body: JSON.stringify(body), token });

interface SessionItem { id: string; capacity: number; remaining: number }

describe('the seeded catalogue', () => {
  it('lists the Christmas sessions with remaining places', async () => {
    // The coming Christmas, named by its year from the clock (haf-christmas-2026 in December 2026).
    const christmas = programmes(new Date()).find((p) => p.season === 'christmas')!.id;
    const res = await call(`/v1/sessions?programme=${christmas}&limit=200`);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: SessionItem[] };
    expect(items).toHaveLength(40);
    for (const s of items) expect(s.remaining).toBeLessThanOrEqual(s.capacity);
  });

  it('has a holiday under way for finance: the demo families\' places, registers and payments, to the penny', async () => {
    const programme = stack.seeded!.bookable;
    const finance = await stack.mintToken('finance');
    const sessions = ((await (await call(`/v1/sessions?programme=${programme}&limit=200`)).json()) as { items: SessionItem[] }).items;
    const { rows, totals } = (await (await call(`/v1/finance/reconciliation?programme=${programme}`, { token: finance })).json()) as {
      rows: { childDaysAttended: number; paidPence: number; earnedPence: number; balancePence: number }[];
      totals: { placesBooked: number; childDaysAttended: number; paidPence: number; earnedPence: number; balancePence: number };
    };
    // Every place the catalogue shows taken is a place finance counts.
    expect(totals.placesBooked).toBe(sessions.reduce((n, s) => n + s.capacity - s.remaining, 0));
    expect(totals.placesBooked).toBeGreaterThan(0);
    expect(rows.every((r) => r.childDaysAttended > 0 && r.paidPence > 0)).toBe(true);
    expect(totals.balancePence).toBe(totals.earnedPence - totals.paidPence);
    const dfe = (await (await call(`/v1/finance/returns/haf?programme=${programme}`, { token: finance })).json()) as { totals: { uniqueChildren: number; childDaysAttended: number } };
    expect(dfe.totals.childDaysAttended).toBe(totals.childDaysAttended);
    expect(dfe.totals.uniqueChildren).toBeGreaterThan(0);
    expect(dfe.totals.uniqueChildren).toBeLessThan(dfe.totals.childDaysAttended);
  });
});

describe("the files npm start leaves for the README's examples", () => {
  it('hold this start\'s codes, and an application that books a place as it is, on any date', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'demo-files-'));
    const seeded = stack.seeded!;
    try {
      const written = await writeDemoFiles(dir, stack.url, seeded, new Date());
      expect(written.missing).toBeUndefined();
      const codes = (await readFile(join(dir, 'demo-codes.txt'), 'utf8')).trim().split('\n');
      expect(codes).toEqual(seeded.eligibilityCodes.map((c) => `${c.code} ${c.outcome}`));

      const body = await readFile(written.application!, 'utf8');
      expect(JSON.parse(body)).toMatchObject({ scheme: 'HAF', programmeId: seeded.bookable });
      const res = await call('/v1/applications', { method: 'POST', body, headers: { 'idempotency-key': 'readme-demo-application' } });
      expect(res.status).toBe(201);
      const created = (await res.json()) as { children: { bookings: { status: string }[] }[] };
      expect(created.children[0]!.bookings.map((b) => b.status)).toEqual(['confirmed']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the admin API through the gateway', () => {
  it('creates a programme, provider, agreement and session that then show publicly', async () => {
    // A half term about ten weeks from now, whatever the date.
    const programme = { scheme: 'HAF', name: 'HAF February half term', startDate: day(75), endDate: day(79),
      bookingOpensAt: instant(40), bookingClosesAt: instant(72), maxDaysPerChild: 2 };
    expect((await put('/v1/admin/programmes/e2e-feb-2027', programme)).status).toBe(201);
    const provider = { name: 'Quorn Riverside Play CIC', contactEmail: 'e2e-quorn@example.org', districts: ['Charnwood'], clientId: 'e2e-quorn-client' };
    expect((await put('/v1/admin/providers/e2e-quorn-play', provider)).status).toBe(201);
    const agreement = { grantAllocationPence: 40_000, ratePencePerChildDay: 2000, placesCommissioned: 20, paymentBasis: 'attended' };
    expect((await put('/v1/admin/programmes/e2e-feb-2027/agreements/e2e-quorn-play', agreement)).status).toBe(201);
    const session = { programmeId: 'e2e-feb-2027', providerId: 'e2e-quorn-play', title: 'Half-Term Cricket & Lunch', date: day(76),
      startTime: '09:30', endTime: '13:30', venue: { name: 'Quorn Meadow Pavilion', postcode: 'le12 8xx', district: 'Charnwood' },
      ageMin: 5, ageMax: 11, capacity: 20, mealProvided: true, sendSupport: true };
    expect((await put('/v1/admin/sessions/e2e-cricket-0216', session)).status).toBe(201);

    const res = await call('/v1/sessions?programme=e2e-feb-2027');
    const { items } = (await res.json()) as { items: SessionItem[] };
    expect(items).toEqual([expect.objectContaining({ id: 'e2e-cricket-0216', capacity: 20, remaining: 20 })]);

    // The new provider's app client is a registered audience: its token passes the authorizer, the role check refuses it.
    const providerToken = await stack.mintToken('provider', 'e2e-quorn-play');
    expect(decodeJwt(providerToken).client_id).toBe('e2e-quorn-client');
    expect((await put('/v1/admin/sessions/e2e-cricket-0216', session, providerToken)).status).toBe(403);
  });
});

describe('the JWT authorizer', () => {
  const programme = { scheme: 'HAF', name: 'Never saved', startDate: day(180), endDate: day(184),
    bookingOpensAt: instant(150), bookingClosesAt: instant(177) };
  const path = '/v1/admin/programmes/e2e-refused';

  /** Refused at the gateway: a 401 problem, and no x-correlation-id, which only the handler adds. */
  async function expectRefusedAtGateway(token: string | undefined) {
    const res = await call(path, { method: 'PUT', body: JSON.stringify(programme), ...(token ? { token } : {}) });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.headers.get('x-correlation-id')).toBeNull();
    expect(await res.json()).toMatchObject({ status: 401, title: expect.any(String), type: expect.any(String) });
  }

  it('refuses a request without a token', () => expectRefusedAtGateway(undefined));

  it('refuses a token signed by another key', async () => {
    const { kid } = decodeProtectedHeader(admin);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(decodeJwt(admin)).setProtectedHeader({ alg: 'RS256', kid: kid! }).sign(privateKey);
    await expectRefusedAtGateway(forged);
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefusedAtGateway(await stack.mintToken('admin', undefined, { iat: now - 7200, exp: now - 3600 }));
  });

  it('refuses a token for an app client it does not know', async () => {
    await expectRefusedAtGateway(await stack.mintToken('admin', undefined, { client_id: 'not-an-app-client' }));
  });

  it('lets a valid finance token through to the handler, which answers 403 on an admin route', async () => {
    const res = await put(path, programme, await stack.mintToken('finance'));
    expect(res.status).toBe(403);
    expect(res.headers.get('x-correlation-id')).not.toBeNull();
  });
});

describe('the edge', () => {
  it('answers an unknown route with a 404 problem document', async () => {
    const res = await call('/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 404, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  });

  it('answers a CORS preflight itself', async () => {
    const res = await call('/v1/admin/sessions/x', {
      method: 'OPTIONS',
      headers: { origin: stack.url, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(stack.url);
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});
