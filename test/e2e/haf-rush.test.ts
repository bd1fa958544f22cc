import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { documentClient } from '../../shared/store/client.ts';
import { BookingStore } from '../../shared/store/bookings.ts';
import { day, instant } from '../support/clock.ts';
import { name } from '../support/names.ts';

// The opening-minute rush, over HTTP against the whole local stack: 200 families at once for five
// sessions of 10 places. Logs are captured at DEBUG to prove no name, email or date of birth is written.

process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
const captured: string[] = [];
const tap = (stream: NodeJS.WriteStream) => {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => { captured.push(String(chunk)); return (write as (...a: unknown[]) => boolean)(chunk, ...rest); }) as typeof stream.write;
};

let stack: LocalStack;
let admin: string;
const sessions = ['rush-a', 'rush-b', 'rush-c', 'rush-d', 'rush-e'];
const families = Array.from({ length: 200 }, (_, i) => ({
  parent: { firstName: name('Parentname', i), lastName: name('Familyname', i), email: `family${i}@example.org`, phone: '07700 900123', postcode: 'LE3 8AA' },
  child: { firstName: name('Childname', i), lastName: name('Familyname', i), dateOfBirth: `2016-0${(i % 9) + 1}-1${i % 10}` },
  code: `RUSH-${String(i).padStart(4, '0')}`,
  sessionId: sessions[i % sessions.length]!,
}));
type Created = { reference: string; manageToken: string; status: string; children: { bookings: { bookingId: string; status: string }[] }[] };

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${stack.url}${path}`, {
    method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, headers: res.headers, json: (await res.json().catch(() => undefined)) as Record<string, unknown> };
};
const asAdmin = (method: string, path: string, body: unknown) => call(method, path, body, { authorization: `Bearer ${admin}` });
const emails = async () => ((await (await fetch(`${stack.sesUrl}/store`)).json()) as { emails: { subject: string; destination: { to: string[] } }[] }).emails;

beforeAll(async () => {
  tap(process.stdout);
  tap(process.stderr);
  // Powertools (with POWERTOOLS_DEV) and the gateway write through the global console, which vitest intercepts.
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level].bind(console);
    // Kept, not echoed: DEBUG lines for 200 applications would bury the test report.
    console[level] = (...args: unknown[]) => { captured.push(args.map(String).join(' ')); if (level === 'error') original(...args); };
  }
  const { startLocalStack } = await import('../../infra/local/stack.ts');
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false });
  admin = await stack.mintToken('admin');
  // Booking opened an hour ago; the holiday is a month away.
  const opened = new Date(Date.now() - 3600_000).toISOString();
  expect((await asAdmin('PUT', '/v1/admin/programmes/haf-rush', {
    scheme: 'HAF', name: 'HAF rush test', startDate: day(30), endDate: day(40), bookingOpensAt: opened,
    bookingClosesAt: instant(25), maxDaysPerChild: 4,
  })).status).toBe(201);
  await asAdmin('PUT', '/v1/admin/providers/rush-provider', { name: 'Rush Test Sports CIC', contactEmail: 'rush@example.org', districts: ['Blaby'] });
  for (const [i, id] of sessions.entries()) {
    expect((await asAdmin('PUT', `/v1/admin/sessions/${id}`, {
      programmeId: 'haf-rush', providerId: 'rush-provider', title: `Rush session ${i}`, date: day(31 + (i % 2)), startTime: '09:30', endTime: '13:30',
      venue: { name: 'Enderby Fields Sports Hall', postcode: 'LE19 4AD', district: 'Blaby' }, ageMin: 5, ageMax: 16, capacity: 10, mealProvided: true, sendSupport: false,
    })).status).toBe(201);
  }
  expect((await asAdmin('POST', '/v1/admin/eligibility-codes', { programmeId: 'haf-rush', codes: families.map((f) => ({ code: f.code, outcome: 'eligible' })) })).json)
    .toMatchObject({ loaded: 200 });
});
afterAll(async () => stack?.stop());

describe('the booking rush', () => {
  let results: { family: (typeof families)[number]; status: number; body: Created }[];

  it('200 concurrent applications: exactly 10 confirmed per session, the rest waitlisted, no 5xx', async () => {
    results = await Promise.all(families.map(async (family) => {
      const r = await call('POST', '/v1/applications', {
        scheme: 'HAF', programmeId: 'haf-rush', parent: family.parent, eligibility: { code: family.code },
        children: [{ ...family.child, sessionIds: [family.sessionId] }], consent: { dataProcessing: true },
      }, { 'idempotency-key': `rush-${family.code}` });
      return { family, status: r.status, body: r.json as unknown as Created };
    }));
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.every((r) => r.status === 201)).toBe(true);
    for (const id of sessions) {
      const mine = results.filter((r) => r.family.sessionId === id).map((r) => r.body.children[0]!.bookings[0]!.status);
      expect(mine.filter((s) => s === 'confirmed')).toHaveLength(10);
      expect(mine.filter((s) => s === 'waitlisted')).toHaveLength(30);
    }
    const listed = await call('GET', '/v1/sessions?programme=haf-rush');
    expect((listed.json.items as { remaining: number }[]).map((s) => s.remaining)).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps each waitlist in arrival order', async () => {
    const bookings = new BookingStore(documentClient(), stack.tableName);
    for (const id of sessions) {
      const waiting = await bookings.waitlist(id);
      const expected = results.filter((r) => r.family.sessionId === id && r.body.status === 'waitlisted').map((r) => r.body.children[0]!.bookings[0]!.bookingId);
      expect(new Set(waiting)).toEqual(new Set(expected));
      const arrived = await Promise.all(waiting.map(async (b) => (await bookings.getBooking(id, b))!.arrivedAt));
      expect(arrived).toEqual([...arrived].sort());
    }
  });

  it('sends one email per outcome through the stream to the local SES', async () => {
    await stack.drainStream(30_000);
    const sent = await emails();
    expect(sent).toHaveLength(200);
    for (const r of results) {
      const mine = sent.filter((e) => e.subject.includes(r.body.reference));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.destination.to).toEqual([r.family.parent.email]);
    }
  });

  it('a cancellation promotes the first waitlisted child, and both families get their email', async () => {
    const confirmed = results.find((r) => r.family.sessionId === 'rush-a' && r.body.status === 'confirmed')!;
    const bookings = new BookingStore(documentClient(), stack.tableName);
    const [first] = await bookings.waitlist('rush-a');
    const promoted = results.find((r) => r.body.children[0]!.bookings[0]!.bookingId === first)!;
    const cancelled = await call('DELETE', `/v1/bookings/${confirmed.body.children[0]!.bookings[0]!.bookingId}`, undefined, { 'x-manage-token': confirmed.body.manageToken });
    expect(cancelled.status).toBe(200);
    const view = await call('GET', `/v1/applications/${promoted.body.reference}`, undefined, { 'x-manage-token': promoted.body.manageToken });
    expect(view.json).toMatchObject({ status: 'confirmed' });
    await stack.drainStream(30_000);
    const sent = await emails();
    expect(sent.filter((e) => e.destination.to[0] === confirmed.family.parent.email).map((e) => e.subject)).toEqual([
      expect.stringContaining(confirmed.body.reference), expect.stringMatching(/cancelled/i),
    ]);
    expect(sent.filter((e) => e.destination.to[0] === promoted.family.parent.email)).toHaveLength(2);
  });

  it('a retried application returns the first answer and books nothing twice', async () => {
    const f = families[0]!;
    const again = await call('POST', '/v1/applications', {
      scheme: 'HAF', programmeId: 'haf-rush', parent: f.parent, eligibility: { code: f.code },
      children: [{ ...f.child, sessionIds: [f.sessionId] }], consent: { dataProcessing: true },
    }, { 'idempotency-key': `rush-${f.code}` });
    expect(again.json.reference).toBe(results[0]!.body.reference);
  });
});

describe('one request sent many times at once', () => {
  it('50 concurrent repeats of one Idempotency-Key make one application and one email', async () => {
    await asAdmin('POST', '/v1/admin/eligibility-codes', { programmeId: 'haf-rush', codes: [{ code: 'RUSH-REPEAT', outcome: 'eligible' }] });
    const body = {
      scheme: 'HAF', programmeId: 'haf-rush', eligibility: { code: 'RUSH-REPEAT' }, consent: { dataProcessing: true },
      parent: { firstName: 'Rhian', lastName: 'Repeater', email: 'repeater@example.org', postcode: 'LE3 8AA' },
      children: [{ firstName: 'Robin', lastName: 'Repeater', dateOfBirth: '2016-04-04', sessionIds: ['rush-b'] }],
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => call('POST', '/v1/applications', body, { 'idempotency-key': 'double-tap-1' })));
    const ok = answers.filter((a) => a.status === 201);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((a) => a.json.reference)).size).toBe(1);
    for (const a of answers.filter((x) => x.status !== 201)) expect([a.status, a.headers.get('retry-after')]).toEqual([409, '1']);
    await stack.drainStream(30_000);
    expect((await emails()).filter((e) => e.destination.to[0] === 'repeater@example.org')).toHaveLength(1);
  });
});

describe('eligibility through DfE', () => {
  it('answers a parent check, and a 503 with Retry-After when DfE is down, writing nothing', async () => {
    const ok = await call('POST', '/v1/eligibility-checks', { lastName: 'Smith', dateOfBirth: '1990-02-03', nationalInsuranceNumber: 'AB123456C' });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ outcome: 'eligible', checkId: expect.any(String) });
    const db = documentClient();
    const checks = async () => ((await db.send(new ScanCommand({ TableName: stack.tableName }))).Items ?? []).filter((i) => String(i.pk).startsWith('CHECK#')).length;
    const before = await checks();
    stack.dfe.setMode('down');
    const down = await call('POST', '/v1/eligibility-checks', { lastName: 'Jones', dateOfBirth: '1990-02-03', nationalInsuranceNumber: 'AB123457C' });
    stack.dfe.setMode('normal');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('30');
    expect(await checks()).toBe(before);
  });
});

describe('children’s data', () => {
  it('no NI number in the table, and no name, email or date of birth in any log line', async () => {
    const items = (await documentClient().send(new ScanCommand({ TableName: stack.tableName }))).Items ?? [];
    expect(JSON.stringify(items)).not.toMatch(/AB12345[67]C|nationalInsuranceNumber/);
    const logs = captured.join('');
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).not.toMatch(/Parentname|Childname|Familyname|@example\.org|2016-0\d-1\d|Smith|1990-02-03|AB12345/);
  });
});
