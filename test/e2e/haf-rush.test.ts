import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { documentClient } from '../../shared/store/client.ts';
import { BookingStore } from '../../shared/store/bookings.ts';
import { day, instant } from '../support/clock.ts';
import { name } from '../support/names.ts';

// The opening-minute rush, over HTTP against the whole local stack: 200 families at once for five
// sessions of 10 places. Logs are captured at DEBUG to prove no name, email or date of birth is written.

process.env.LOG_LEVEL = 'DEBUG';
const captured: string[] = [];
/** Keeps what is written; stdout is not echoed (DEBUG lines for 200 applications would bury the report), stderr is. */
const tap = (stream: NodeJS.WriteStream, echo: boolean) => {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    captured.push(String(chunk));
    return echo ? (write as (...a: unknown[]) => boolean)(chunk, ...rest) : true;
  }) as typeof stream.write;
};

let stack: LocalStack;
let admin: string;
const sessions = ['rush-a', 'rush-b', 'rush-c', 'rush-d', 'rush-e'];
/** Family `i`, invented, with its own code, applying for one session. */
const familyOf = (i: number, sessionId: string, code = `RUSH-${String(i).padStart(4, '0')}`) => ({
  parent: { firstName: name('Parentname', i), lastName: name('Familyname', i), email: `family${i}@example.org`, phone: '07700 900123', postcode: 'LE3 8AA' },
  child: { firstName: name('Childname', i), lastName: name('Familyname', i), dateOfBirth: `2016-0${(i % 9) + 1}-1${i % 10}` },
  code, sessionId,
});
type Family = ReturnType<typeof familyOf>;
const families = Array.from({ length: 200 }, (_, i) => familyOf(i, sessions[i % sessions.length]!));
type Booking = { bookingId: string; status: string; waitlistPosition?: number };
type Created = { reference: string; manageToken: string; status: string; children: { bookings: Booking[] }[] };
// Tests that need sessions of their own book them in another programme, so the rush's sessions and listing stay as the rush left them.
const ownProgramme = 'haf-rush-more';

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${stack.url}${path}`, {
    method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, headers: res.headers, json: (await res.json().catch(() => undefined)) as Record<string, unknown> };
};
const asAdmin = (method: string, path: string, body: unknown) => call(method, path, body, { authorization: `Bearer ${admin}` });
const apply = (f: Family, programmeId: string, headers: Record<string, string> = {}) => call('POST', '/v1/applications', {
  scheme: 'HAF', programmeId, parent: f.parent, eligibility: { code: f.code },
  children: [{ ...f.child, sessionIds: [f.sessionId] }], consent: { dataProcessing: true },
}, headers);
const bookingOf = (c: Created) => c.children[0]!.bookings[0]!;
const sessionBody = (programmeId: string, title: string, date: string, capacity: number) => ({
  programmeId, providerId: 'rush-provider', title, date, startTime: '09:30', endTime: '13:30',
  venue: { name: 'Enderby Fields Sports Hall', postcode: 'LE19 4AD', district: 'Blaby' }, ageMin: 5, ageMax: 16, capacity, mealProvided: true, sendSupport: false,
});
const ownSession = async (id: string, capacity: number) =>
  expect((await asAdmin('PUT', `/v1/admin/sessions/${id}`, sessionBody(ownProgramme, `Own session ${id}`, day(33), capacity))).status).toBe(201);
/** Families numbered from `from` for a session, each with an eligible code loaded for its programme. */
async function familiesFor(sessionId: string, programmeId: string, from: number, count: number) {
  const fs = Array.from({ length: count }, (_, i) => familyOf(from + i, sessionId, `MORE-${from + i}`));
  expect((await asAdmin('POST', '/v1/admin/eligibility-codes', { programmeId, codes: fs.map((f) => ({ code: f.code, outcome: 'eligible' })) })).status)
    .toBe(200);
  return fs;
}
/** Applies for each family in turn, each answer back before the next is sent. */
async function oneAfterAnother(fs: Family[], programmeId: string) {
  const answers: Created[] = [];
  for (const f of fs) {
    const r = await apply(f, programmeId);
    expect(r.status).toBe(201);
    answers.push(r.json as unknown as Created);
  }
  return answers;
}
const emails = async () => ((await (await fetch(`${stack.sesUrl}/store`)).json()) as { emails: { subject: string; destination: { to: string[] } }[] }).emails;

beforeAll(async () => {
  tap(process.stdout, false);
  tap(process.stderr, true);
  // The handlers' logger writes to the process streams (tapped above); the gateway writes through the global console, which vitest intercepts.
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
  for (const [id, title] of [['haf-rush', 'HAF rush test'], [ownProgramme, 'HAF rush test, sessions of their own']]) {
    expect((await asAdmin('PUT', `/v1/admin/programmes/${id}`, {
      scheme: 'HAF', name: title, startDate: day(30), endDate: day(40), bookingOpensAt: opened, bookingClosesAt: instant(25), maxDaysPerChild: 4,
    })).status).toBe(201);
  }
  await asAdmin('PUT', '/v1/admin/providers/rush-provider', { name: 'Rush Test Sports CIC', contactEmail: 'rush@example.org', districts: ['Blaby'] });
  for (const [i, id] of sessions.entries()) {
    expect((await asAdmin('PUT', `/v1/admin/sessions/${id}`, sessionBody('haf-rush', `Rush session ${i}`, day(31 + (i % 2)), 10))).status).toBe(201);
  }
  expect((await asAdmin('POST', '/v1/admin/eligibility-codes', { programmeId: 'haf-rush', codes: families.map((f) => ({ code: f.code, outcome: 'eligible' })) })).json)
    .toMatchObject({ loaded: 200 });
});
afterAll(async () => stack?.stop());

describe('the booking rush', () => {
  let results: { family: Family; status: number; body: Created }[];

  beforeAll(async () => {
    results = await Promise.all(families.map(async (family) => {
      const r = await apply(family, 'haf-rush', { 'idempotency-key': `rush-${family.code}` });
      return { family, status: r.status, body: r.json as unknown as Created };
    }));
  });

  it('200 concurrent applications: exactly 10 confirmed per session, the rest waitlisted, no 5xx', async () => {
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.every((r) => r.status === 201)).toBe(true);
    for (const id of sessions) {
      const mine = results.filter((r) => r.family.sessionId === id).map((r) => bookingOf(r.body).status);
      expect(mine.filter((s) => s === 'confirmed')).toHaveLength(10);
      expect(mine.filter((s) => s === 'waitlisted')).toHaveLength(30);
    }
    const listed = await call('GET', '/v1/sessions?programme=haf-rush');
    expect((listed.json.items as { remaining: number }[]).map((s) => s.remaining)).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps each waitlist in arrival order', async () => {
    const bookings = new BookingStore(documentClient(), stack.tableName);
    for (const id of sessions) {
      const expected = results.filter((r) => r.family.sessionId === id && r.body.status === 'waitlisted').map((r) => bookingOf(r.body).bookingId);
      expect(new Set(await bookings.waitlist(id))).toEqual(new Set(expected));
    }
    const rushed = await bookings.waitlist('rush-e');
    // Arrivals a test can order: three more families for the full session, each sent once the one before is answered.
    const late = await familiesFor('rush-e', 'haf-rush', 200, 3);
    const answers = await oneAfterAnother(late, 'haf-rush');
    expect(answers.map(bookingOf)).toEqual([31, 32, 33].map((waitlistPosition) => expect.objectContaining({ status: 'waitlisted', waitlistPosition })));
    expect(await bookings.waitlist('rush-e')).toEqual([...rushed, ...answers.map((a) => bookingOf(a).bookingId)]);
  });

  it('sends one email per outcome through the stream to the local SES', async () => {
    await stack.drainStream(30_000);
    const sent = await emails();
    const rushAddresses = new Set(families.map((f) => f.parent.email));
    expect(sent.filter((e) => rushAddresses.has(e.destination.to[0]!))).toHaveLength(200);
    for (const r of results) {
      const mine = sent.filter((e) => e.subject.includes(r.body.reference));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.destination.to).toEqual([r.family.parent.email]);
    }
  });

  it('a retried application returns the first answer and books nothing twice', async () => {
    const f = families[0]!;
    const again = await apply(f, 'haf-rush', { 'idempotency-key': `rush-${f.code}` });
    expect(again.json.reference).toBe(results[0]!.body.reference);
  });
});

describe('a place given up', () => {
  it('a cancellation promotes the first waitlisted child, and both families get their email', async () => {
    // Two places, then three children waiting, each sent once the one before is answered: the first of the three is next.
    await ownSession('own-cancel', 2);
    const own = await familiesFor('own-cancel', ownProgramme, 300, 5);
    const answers = await oneAfterAnother(own, ownProgramme);
    expect(answers.map((a) => bookingOf(a).status)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted', 'waitlisted']);
    expect(answers.slice(2).map((a) => bookingOf(a).waitlistPosition)).toEqual([1, 2, 3]);
    const bookings = new BookingStore(documentClient(), stack.tableName);
    expect(await bookings.waitlist('own-cancel')).toEqual(answers.slice(2).map((a) => bookingOf(a).bookingId));
    // Every sign-up's email first, so each family's emails come in the order things happened.
    await stack.drainStream(30_000);

    const [confirmed, , promoted, next, last] = answers as [Created, Created, Created, Created, Created];
    const cancelled = await call('DELETE', `/v1/bookings/${bookingOf(confirmed).bookingId}`, undefined, { 'x-manage-token': confirmed.manageToken });
    expect(cancelled.status).toBe(200);
    const view = await call('GET', `/v1/applications/${promoted.reference}`, undefined, { 'x-manage-token': promoted.manageToken });
    expect(view.json).toMatchObject({ status: 'confirmed' });
    expect(await bookings.waitlist('own-cancel')).toEqual([bookingOf(next).bookingId, bookingOf(last).bookingId]);
    await stack.drainStream(30_000);
    const sent = await emails();
    expect(sent.filter((e) => e.destination.to[0] === own[0]!.parent.email).map((e) => e.subject)).toEqual([
      expect.stringContaining(confirmed.reference), expect.stringMatching(/cancelled/i),
    ]);
    expect(sent.filter((e) => e.destination.to[0] === own[2]!.parent.email)).toHaveLength(2);
  });
});

describe('one request sent many times at once', () => {
  it('50 concurrent repeats of one Idempotency-Key make one application and one email', async () => {
    await ownSession('own-repeat', 10);
    await asAdmin('POST', '/v1/admin/eligibility-codes', { programmeId: ownProgramme, codes: [{ code: 'RUSH-REPEAT', outcome: 'eligible' }] });
    const body = {
      scheme: 'HAF', programmeId: ownProgramme, eligibility: { code: 'RUSH-REPEAT' }, consent: { dataProcessing: true },
      parent: { firstName: 'Rhian', lastName: 'Repeater', email: 'repeater@example.org', postcode: 'LE3 8AA' },
      children: [{ firstName: 'Robin', lastName: 'Repeater', dateOfBirth: '2016-04-04', sessionIds: ['own-repeat'] }],
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
    // Its own family and DfE check, so there is something to find whether or not the tests above ran.
    await ownSession('own-private', 10);
    const [family] = await familiesFor('own-private', ownProgramme, 500, 1);
    expect((await apply(family!, ownProgramme)).status).toBe(201);
    expect((await call('POST', '/v1/eligibility-checks', { lastName: 'Smith', dateOfBirth: '1990-02-03', nationalInsuranceNumber: 'AB123456C' })).status).toBe(201);
    // The notifier's lines too: it sends the family's email.
    await stack.drainStream(30_000);
    const items = (await documentClient().send(new ScanCommand({ TableName: stack.tableName }))).Items ?? [];
    expect(JSON.stringify(items)).not.toMatch(/AB12345[67]C|nationalInsuranceNumber/);
    const logs = captured.join('');
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).not.toMatch(/Parentname|Childname|Familyname|@example\.org|2016-0\d-1\d|Smith|1990-02-03|AB12345/);
  });
});
