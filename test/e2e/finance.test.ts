import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { dateInLondon } from '../../shared/domain/calendar.ts';
import { financeRoutes } from '../../shared/http/routes/finance.ts';
import { csvRecords } from '../support/csv.ts';

// A finance officer's holiday on the local stack, over HTTP with real tokens and the real stream: children
// booked through the public API, a register sent, payments posted, a reversal and a re-post; the row to the
// penny in JSON and CSV, statements, the DfE figures, closing and reopening; and nobody else let in.

let stack: LocalStack;
let tokens: Record<'admin' | 'finance' | 'alpha' | 'beta', string>;
const today = dateInLondon(new Date());
const programmeId = 'e2e-finance';
const alpha = { id: 'e2e-fin-alpha', session: 'e2e-fin-alpha-today' };
const beta = { id: 'e2e-fin-beta', session: 'e2e-fin-beta-today' };
const bookings: Record<string, string> = {};

const call = (path: string, init: RequestInit & { token?: string } = {}) => fetch(`${stack.url}${path}`, {
  ...init,
  headers: {
    ...(init.body ? { 'content-type': 'application/json' } : {}),
    ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    ...(init.headers as Record<string, string> | undefined),
  },
});
const send = (method: string, path: string, body: unknown, token?: string, headers: Record<string, string> = {}) =>
  call(path, { method, body: JSON.stringify(body), headers, ...(token ? { token } : {}) });
const json = async (r: Response) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> & { rows?: Row[] } });
interface Row { providerId: string; [k: string]: unknown }
const rowOf = async (providerId: string) =>
  ((await json(await call(`/v1/finance/reconciliation?programme=${programmeId}`, { token: tokens.finance }))).body.rows ?? [])
    .find((r) => r.providerId === providerId)!;

/** A finance CSV download: it must start with the UTF-8 byte-order mark (fetch's text() would drop it unseen). */
async function csvOf(res: Response): Promise<string> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder().decode(bytes.subarray(3));
}

const pay = (body: Record<string, unknown>, key?: string) => send('POST', '/v1/finance/payments',
  { providerId: alpha.id, programmeId, paidOn: today, ...body }, tokens.finance, key ? { 'idempotency-key': key } : {});

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false, quiet: true });
  const admin = await stack.mintToken('admin');
  const hour = 3600_000;
  const ok = async (r: Promise<Response>) => expect([200, 201]).toContain((await r).status);
  await ok(send('PUT', `/v1/admin/programmes/${programmeId}`, { scheme: 'HAF', name: 'HAF finance today', startDate: today, endDate: today,
    bookingOpensAt: new Date(Date.now() - 48 * hour).toISOString(), bookingClosesAt: new Date(Date.now() + hour).toISOString(), discretionaryShare: 0.15 }, admin));
  for (const p of [alpha, beta]) {
    await ok(send('PUT', `/v1/admin/providers/${p.id}`, { name: `Provider ${p.id.slice(-4)}`, contactEmail: `${p.id}@example.org`, districts: ['Melton'], clientId: `${p.id}-client` }, admin));
    await ok(send('PUT', `/v1/admin/sessions/${p.session}`, { programmeId, providerId: p.id, title: 'Games & Lunch', date: today, startTime: '10:00',
      endTime: '14:00', venue: { name: `Hall ${p.id.slice(-4)}`, postcode: 'LE13 1AA', district: 'Melton' }, ageMin: 5, ageMax: 11, capacity: 10,
      mealProvided: true, sendSupport: true }, admin));
  }
  await ok(send('PUT', `/v1/admin/programmes/${programmeId}/agreements/${alpha.id}`, { grantAllocationPence: 10_000, ratePencePerChildDay: 2000,
    placesCommissioned: 10, paymentBasis: 'attended', rates: { sendUplift: 300 }, advanceShare: 0.5 }, admin));
  await ok(send('PUT', `/v1/admin/programmes/${programmeId}/agreements/${beta.id}`, { grantAllocationPence: 5000, ratePencePerChildDay: 2500,
    placesCommissioned: 10, paymentBasis: 'booked' }, admin));
  await ok(send('POST', '/v1/admin/eligibility-codes', { programmeId, codes: ['1', '2', '3', '4'].map((n) => ({ code: `E2E-FIN-${n}`, outcome: 'eligible' })) }, admin));
  // Booked yesterday (a session that has started cannot be booked); today is the session's day.
  stack.setClock(new Date(Date.now() - 24 * hour));
  const children = [
    { key: 'ada', session: alpha.session, child: { firstName: 'Ada', lastName: 'Able' } },
    { key: 'ben', session: alpha.session, child: { firstName: 'Ben', lastName: 'Bright', sendNeeds: 'Ear defenders' } },
    { key: 'cat', session: alpha.session, child: { firstName: 'Cat', lastName: 'Calm' } },
    { key: 'dev', session: beta.session, child: { firstName: 'Dev', lastName: 'Dale' } },
  ];
  for (const [i, c] of children.entries()) {
    const r = await send('POST', '/v1/applications', {
      scheme: 'HAF', programmeId, eligibility: { code: `E2E-FIN-${i + 1}` }, consent: { dataProcessing: true },
      parent: { firstName: 'Sam', lastName: 'Example', email: `e2e-fin-${c.key}@example.org`, postcode: 'LE13 1AA' },
      children: [{ ...c.child, dateOfBirth: '2017-05-01', sessionIds: [c.session] }],
    });
    const created = (await r.json()) as { children: { bookings: { bookingId: string; status: string }[] }[] };
    expect(created.children[0]!.bookings[0]!.status).toBe('confirmed');
    bookings[c.key] = created.children[0]!.bookings[0]!.bookingId;
  }
  stack.setClock();
  tokens = {
    admin, finance: await stack.mintToken('finance'),
    alpha: await stack.mintToken('provider', alpha.id), beta: await stack.mintToken('provider', beta.id),
  };
  const register = await send('PUT', `/v1/provider/sessions/${alpha.session}/attendance`, { records: [
    { bookingId: bookings.ada, present: true }, { bookingId: bookings.ben, present: true }, { bookingId: bookings.cat, present: false },
  ] }, tokens.alpha);
  expect(register.status).toBe(200);
  await stack.drainStream();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('a finance officer', () => {
  it('sees bookings, a register and two payments as the expected row, to the penny, in JSON and CSV', async () => {
    expect((await pay({ amountPence: 3000, kind: 'advance', reference: 'E2E-ADV-1' })).status).toBe(201);
    expect((await pay({ amountPence: 1300, reference: 'E2E-BAL-1' })).status).toBe(201);
    // Two children attended, one with SEND (2000 + 2000 + 300); one absent earns nothing.
    expect(await rowOf(alpha.id)).toMatchObject({
      grantAllocatedPence: 10_000, placesCommissioned: 10, placesBooked: 3, childDaysBooked: 3, childDaysAttended: 2, childDaysAttendedFsm: 2,
      childDaysAttendedSend: 1, childDaysAbsent: 1, registersMissing: 0, earnedPence: 4300, advanceDuePence: 5000, paidPence: 4300, balancePence: 0, flags: [],
    });
    // Paid on bookings: one child booked at 2500, whether or not a register came.
    expect(await rowOf(beta.id)).toMatchObject({ paymentBasis: 'booked', childDaysBooked: 1, childDaysAttended: 0, earnedPence: 2500, paidPence: 0, balancePence: 2500 });

    const csv = await call(`/v1/finance/reconciliation?programme=${programmeId}`, { token: tokens.finance, headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const records = csvRecords(await csvOf(csv));
    expect(records.map((r) => [r.providerId, r.earnedPence, r.paidPence, r.balancePence])).toEqual([
      [alpha.id, '4300', '4300', '0'], [beta.id, '2500', '0', '2500'], ['Total', '6800', '4300', '2500'],
    ]);
  });

  it('posts a payment once per reference, and refuses another body under the same reference', async () => {
    const first = await json(await pay({ amountPence: 500, reference: 'E2E-ONCE-1' }, 'e2e-key-once'));
    const again = await json(await pay({ amountPence: 500, reference: 'E2E-ONCE-1' }));
    const keyed = await json(await pay({ amountPence: 500, reference: 'E2E-ONCE-1' }, 'e2e-key-once'));
    expect([first.status, again.status, keyed.status]).toEqual([201, 201, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect(keyed.body).toEqual(first.body);
    expect((await pay({ amountPence: 501, reference: 'E2E-ONCE-1' })).status).toBe(409);
    const lines = (await json(await call(`/v1/finance/payments?programme=${programmeId}&provider=${alpha.id}`, { token: tokens.finance }))).body.items as { reference: string }[];
    expect(lines.filter((l) => l.reference === 'E2E-ONCE-1')).toHaveLength(1);
    // Taken back, so the other tests' figures stand.
    expect((await pay({ amountPence: 500, kind: 'reversal', reverses: 'E2E-ONCE-1', reference: 'E2E-ONCE-1-REV' })).status).toBe(201);
  });

  it('corrects a payment by a reversal and a new line, never by an edit, and the balance follows', async () => {
    expect((await pay({ amountPence: 1300, kind: 'reversal', reverses: 'E2E-BAL-1', reference: 'E2E-REV-1' })).status).toBe(201);
    expect((await pay({ amountPence: 1300, kind: 'reversal', reverses: 'E2E-BAL-1', reference: 'E2E-REV-2' })).status).toBe(409);
    expect((await pay({ amountPence: 1200, reference: 'E2E-BAL-2' })).status).toBe(201);
    expect(await rowOf(alpha.id)).toMatchObject({ earnedPence: 4300, paidPence: 4200, balancePence: 100 });
    const lines = csvRecords(await csvOf(await call(`/v1/finance/payments?programme=${programmeId}&provider=${alpha.id}&format=csv`, { token: tokens.finance })));
    expect(lines.find((l) => l.reference === 'E2E-BAL-1')).toMatchObject({ amountPence: '1300', effectPence: '1300', reversedBy: 'E2E-REV-1' });
    expect(lines.find((l) => l.reference === 'E2E-REV-1')).toMatchObject({ kind: 'reversal', effectPence: '-1300', reverses: 'E2E-BAL-1' });
  });

  it("reads each provider's statement line by line, and the provider reads only its own", async () => {
    const { body } = await json(await call(`/v1/finance/statements/${alpha.id}?programme=${programmeId}`, { token: tokens.finance }));
    const lines = body.lines as { bookingId: string; amountPence: number; reason?: string }[];
    expect(lines.map((l) => [l.bookingId, l.amountPence, l.reason]).sort()).toEqual([
      [bookings.ada, 2000, undefined], [bookings.ben, 2300, undefined], [bookings.cat, 0, 'absent'],
    ].sort());
    expect(lines.reduce((n, l) => n + l.amountPence, 0)).toBe((body.summary as Row).earnedPence);
    const own = await json(await call(`/v1/provider/statement?programme=${programmeId}`, { token: tokens.alpha }));
    expect(own.body.lines).toEqual(body.lines);
    const other = await json(await call(`/v1/provider/statement?programme=${programmeId}`, { token: tokens.beta }));
    expect((other.body.lines as { bookingId: string }[]).map((l) => l.bookingId)).toEqual([bookings.dev]);
  });

  it('has the DfE figures: children who attended, each once, and the days', async () => {
    const { body } = await json(await call(`/v1/finance/returns/haf?programme=${programmeId}`, { token: tokens.finance }));
    expect(body.totals).toMatchObject({ uniqueChildren: 2, fsmChildren: 2, sendChildren: 1, primaryChildren: 2, hafFundedPlaces: 4, childDaysAttended: 2,
      sessionsOffered: 2, sessionsAttended: 1, providers: 2, venues: 2 });
    const csv = await csvOf(await call(`/v1/finance/returns/haf?programme=${programmeId}&format=csv`, { token: tokens.finance }));
    expect(csvRecords(csv).at(-1)).toMatchObject({ level: 'Total', uniqueChildren: '2', childDaysAttended: '2' });
  });

  it('closes the holiday: the figures freeze, registers are refused until finance reopens it with a reason', async () => {
    const closed = await send('POST', `/v1/finance/programmes/${programmeId}/close`, {}, tokens.finance);
    expect(closed.status).toBe(200);
    const late = await send('PUT', `/v1/provider/sessions/${alpha.session}/attendance`, { records: [{ bookingId: bookings.cat, present: true }] }, tokens.alpha);
    expect(late.status).toBe(409);
    expect((await send('POST', `/v1/finance/programmes/${programmeId}/close`, {}, tokens.finance)).status).toBe(409);
    const frozen = await json(await call(`/v1/finance/reconciliation?programme=${programmeId}`, { token: tokens.finance }));
    expect(frozen.body).toMatchObject({ status: 'closed', closedBy: expect.any(String) });
    expect((await send('POST', `/v1/finance/programmes/${programmeId}/reopen`, { reason: 'Late register from Alpha' }, tokens.finance)).status).toBe(200);
    expect((await send('PUT', `/v1/provider/sessions/${alpha.session}/attendance`, { records: [{ bookingId: bookings.cat, present: true }] }, tokens.alpha)).status).toBe(200);
    await stack.drainStream();
    expect(await rowOf(alpha.id)).toMatchObject({ childDaysAttended: 3, earnedPence: 6300 });
    const trail = (await json(await call(`/v1/finance/programmes/${programmeId}/closures`, { token: tokens.finance }))).body.items as { action: string; reason?: string }[];
    expect(trail.map((e) => [e.action, e.reason])).toEqual([['close', undefined], ['reopen', 'Late register from Alpha']]);
  });

  it('lets no one else in: no token 401, provider and admin tokens 403, on every finance route', async () => {
    for (const r of financeRoutes) {
      const path = r.path.replace('{providerId}', alpha.id).replace('{programmeId}', programmeId);
      const body = r.method === 'POST' ? JSON.stringify({}) : undefined;
      for (const [token, want] of [[undefined, 401], [tokens.alpha, 403], [tokens.admin, 403]] as const) {
        const res = await call(path, { method: r.method, body, ...(token ? { token } : {}) });
        expect(res.status, `${r.method} ${path}`).toBe(want);
      }
    }
  });
});
