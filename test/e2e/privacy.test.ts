import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { documentClient } from '../../shared/store/client.ts';
import { bornYearsAgo, day, instant } from '../support/clock.ts';
import { scanTable } from '../support/scan.ts';
import { caller, type Answer } from '../support/http.ts';

// A whole family's run on the local stack, over HTTP with the real stream: HAF places after a DfE check by NI
// number, another family's by code, an Active Families referral, a Youth Card and a visit, every email sent;
// then subject access and erasure. Every log line the handlers (and the gateway) write is captured at DEBUG,
// and the whole table is scanned: an NI number is never anywhere, and after the erasure nothing names the
// family, gives its email or a date of birth, while the finance figures and the DfE return are unchanged.

process.env.LOG_LEVEL = 'DEBUG';
const logs: string[] = [];
const tap = (stream: NodeJS.WriteStream) => {
  stream.write = ((chunk: unknown) => { logs.push(String(chunk)); return true; }) as typeof stream.write;
};

let stack: LocalStack;
const tokens: Record<string, string> = {};
const hour = 3600_000;

/** The family erased: one email for the parent and for the young person (a teenager using the family's address). */
const email = 'philippa.fairweather-quist@example.org';
const ni = 'AB123456C';
const parent = { firstName: 'Philippa', lastName: 'Fairweather-Quist', email, phone: '07700 900321', postcode: 'LE13 1AA' };
const children = [
  { firstName: 'Leopoldine', lastName: 'Fairweather-Quist', dateOfBirth: bornYearsAgo(8) },
  { firstName: 'Maximilian', lastName: 'Fairweather-Quist', dateOfBirth: bornYearsAgo(6) },
];
const youngPerson = { firstName: 'Ottilie', lastName: 'Fairweather-Quist', dateOfBirth: bornYearsAgo(14), email, postcode: 'LE13 1AA' };
const parentDateOfBirth = '1984-06-17';
/** What must not outlive the erasure, anywhere in the table. */
const personal = [email, 'Philippa', 'Fairweather', 'Leopoldine', 'Maximilian', 'Ottilie', ...children.map((c) => c.dateOfBirth), youngPerson.dateOfBirth, '07700 900321'];
/** An NI number as anyone might write it. */
const niForms = [ni, 'AB 12 34 56 C', 'ab123456c'];

const haf = 'e2e-privacy-haf';
const sessions = { yesterday: 'e2e-privacy-yesterday', later: 'e2e-privacy-later' };

const call = caller(() => stack.url);
const ok = async (p: Promise<Answer>) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.json)).toBeLessThan(300);
  return r.json;
};
const admin = (method: string, path: string, body: unknown) => ok(call(method, path, { body, token: tokens.admin }));
const scanAll = () => scanTable(documentClient(), stack.tableName);
/** Finance's two reports, but for when each was made. */
const finance = async () => {
  const { generatedAt: _r, ...reconciliation } = await ok(call('GET', `/v1/finance/reconciliation?programme=${haf}`, { token: tokens.finance }));
  const { generatedAt: _d, ...dfeReturn } = await ok(call('GET', `/v1/finance/returns/haf?programme=${haf}`, { token: tokens.finance }));
  return { reconciliation, dfeReturn };
};
/** Where each string turns up (the first 200 characters around it), if anywhere. */
const found = (haystack: string[], needles: string[]) =>
  needles.flatMap((n) => haystack.filter((h) => h.toLowerCase().includes(n.toLowerCase())).map((h) => `${n}: ${h.slice(0, 200)}`));

let bookingIds: Record<string, string> = {};
let otherBooking = '';
let cardDigits = '';
let reference = '';

beforeAll(async () => {
  tap(process.stdout);
  tap(process.stderr);
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = (...args: unknown[]) => { logs.push(args.map(String).join(' ')); };
  const { startLocalStack } = await import('../../infra/local/stack.ts');
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false });
  tokens.admin = await stack.mintToken('admin');
  tokens.finance = await stack.mintToken('finance');
  tokens.referrer = await stack.mintToken('referrer', undefined, { sub: 'e2e-privacy-referrer' });

  // HAF: yesterday's session (held, its register sent) and one next week with a single place.
  await admin('PUT', `/v1/admin/programmes/${haf}`, {
    scheme: 'HAF', name: 'E2E privacy HAF', startDate: day(-1), endDate: day(10), bookingOpensAt: instant(-5), bookingClosesAt: instant(6), maxDaysPerChild: 4,
  });
  await admin('PUT', '/v1/admin/providers/e2e-privacy-provider', { name: 'Privacy Test Sports CIC', contactEmail: 'privacy-provider@example.org', districts: ['Melton'], clientId: 'e2e-privacy-provider-client' });
  tokens.provider = await stack.mintToken('provider', 'e2e-privacy-provider');
  await admin('PUT', `/v1/admin/programmes/${haf}/agreements/e2e-privacy-provider`, { grantAllocationPence: 100_000, ratePencePerChildDay: 2000, placesCommissioned: 20, paymentBasis: 'attended' });
  for (const [id, date, capacity] of [[sessions.yesterday, day(-1), 5], [sessions.later, day(5), 1]] as const) {
    await admin('PUT', `/v1/admin/sessions/${id}`, {
      programmeId: haf, providerId: 'e2e-privacy-provider', title: 'Games & Lunch', date, startTime: '10:00', endTime: '14:00',
      venue: { name: 'Melton Sports Village', postcode: 'LE13 0NT', district: 'Melton' }, ageMin: 5, ageMax: 11, capacity, mealProvided: true, sendSupport: false,
    });
  }
  await admin('POST', '/v1/admin/eligibility-codes', { programmeId: haf, codes: [{ code: 'E2E-PRIV-OTHER', outcome: 'eligible' }] });

  // Booked two days ago, before yesterday's session began.
  stack.setClock(new Date(Date.now() - 48 * hour));
  const check = await ok(call('POST', '/v1/eligibility-checks', { body: { lastName: parent.lastName, dateOfBirth: parentDateOfBirth, nationalInsuranceNumber: ni } }));
  expect(check.outcome).toBe('eligible');
  const mine = await ok(call('POST', '/v1/applications', { body: {
    scheme: 'HAF', programmeId: haf, parent, eligibility: { checkId: check.checkId }, consent: { dataProcessing: true },
    children: [
      { ...children[0], medicalNotes: 'carries an inhaler', sessionIds: [sessions.yesterday, sessions.later] },
      { ...children[1], dietaryNeeds: 'no nuts', sessionIds: [sessions.yesterday] },
    ],
  } }));
  reference = String(mine.reference);
  const made = (mine.children as { bookings: { bookingId: string; sessionId: string; status: string }[] }[]).flatMap((c) => c.bookings);
  expect(made.map((b) => b.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
  bookingIds = { first: made[0]!.bookingId, later: made[1]!.bookingId, second: made[2]!.bookingId };
  // Another family, checked by code, waits for next week's place.
  const byCode = await ok(call('POST', '/v1/eligibility-checks', { body: { code: 'E2E-PRIV-OTHER' } }));
  const other = await ok(call('POST', '/v1/applications', { body: {
    scheme: 'HAF', programmeId: haf, eligibility: { checkId: byCode.checkId }, consent: { dataProcessing: true },
    parent: { firstName: 'Sam', lastName: 'Other', email: 'sam.other@example.org', postcode: 'LE13 2BB' },
    children: [{ firstName: 'Robin', lastName: 'Other', dateOfBirth: '2017-09-03', sessionIds: [sessions.later] }],
  } }));
  otherBooking = (other.children as { bookings: { bookingId: string; status: string }[] }[])[0]!.bookings[0]!.bookingId;
  expect((other.children as { bookings: { status: string }[] }[])[0]!.bookings[0]!.status).toBe('waitlisted');
  stack.setClock();
  await ok(call('PUT', `/v1/provider/sessions/${sessions.yesterday}/attendance`, { token: tokens.provider, body: { records: [
    { bookingId: bookingIds.first, present: true }, { bookingId: bookingIds.second, present: false, absenceReason: 'unwell' },
  ] } }));

  // Active Families and a Youth Card, referred by a signed-in key worker.
  for (const scheme of ['ACTIVE_FAMILIES', 'YOUTH_CARD'] as const) {
    const id = `e2e-privacy-${scheme === 'YOUTH_CARD' ? 'yc' : 'af'}`;
    await admin('PUT', `/v1/admin/programmes/${id}`, {
      scheme, name: `E2E privacy ${scheme}`, startDate: day(-1), endDate: day(300), bookingOpensAt: instant(-1), bookingClosesAt: instant(300),
      ...(scheme === 'YOUTH_CARD' ? { visitsAllowed: 5, cardValidityMonths: 3 } : {}),
    });
    await admin('PUT', `/v1/admin/programmes/${id}/agreements/e2e-privacy-provider`, { grantAllocationPence: 0, ratePencePerChildDay: 0, placesCommissioned: 3, paymentBasis: 'booked' });
  }
  const referrer = { organisation: 'Children and Family Wellbeing Service', name: 'Priya Keyworker', email: 'priya.keyworker@leics.gov.uk' };
  const af = await ok(call('POST', '/v1/referrer/referrals', { token: tokens.referrer, body: {
    scheme: 'ACTIVE_FAMILIES', programmeId: 'e2e-privacy-af', district: 'Melton', referrer, consent: { dataProcessing: true },
    family: { parent, members: [{ ...children[0], needs: 'ear defenders' }] },
  } }));
  expect(af.status).toBe('accepted');
  const yc = await ok(call('POST', '/v1/referrer/referrals', { token: tokens.referrer, body: {
    scheme: 'YOUTH_CARD', programmeId: 'e2e-privacy-yc', district: 'Melton', referrer, consent: { dataProcessing: true }, youngPerson,
  } }));
  expect(yc.status).toBe('issued');
  cardDigits = String((yc.card as { number: string }).number).replace(/ /g, '');
  expect((await call('POST', `/v1/provider/youth-cards/${cardDigits}/visits`, { token: tokens.provider })).status).toBe(201);
  await stack.drainStream(30_000);
}, 180_000);
afterAll(async () => stack?.stop(), 60_000);

describe('privacy operations on a whole run', () => {
  it('never keeps or logs an NI number, nor logs a name, an email or a date of birth', async () => {
    const items = (await scanAll()).map((i) => JSON.stringify(i));
    expect(found(items, niForms)).toEqual([]);
    expect(found(logs, [...niForms, ...personal, parentDateOfBirth, 'sam.other@example.org', 'Robin'])).toEqual([]);
    // The run did write logs, and the table did hold the family: the scans look where the data would be.
    expect(logs.length).toBeGreaterThan(20);
    expect(found(items, [email]).length).toBeGreaterThan(0);
  });

  it('answers a subject access request with everything held about the family', async () => {
    const report = await ok(call('POST', '/v1/admin/subject-access-requests', { token: tokens.admin, body: { email: email.toUpperCase() } }));
    const apps = report.applications as { reference: string; parent: { email: string }; children: { firstName: string; dateOfBirth: string; bookings: { sessionId: string; status: string; present?: boolean; absenceReason?: string; session?: { date: string } }[] }[] }[];
    expect(apps.map((a) => a.reference)).toEqual([reference]);
    expect(apps[0]!.parent.email).toBe(email);
    expect(apps[0]!.children.map((c) => [c.firstName, c.dateOfBirth])).toEqual(children.map((c) => [c.firstName, c.dateOfBirth]));
    expect(apps[0]!.children[0]!.bookings).toEqual([
      expect.objectContaining({ sessionId: sessions.yesterday, status: 'confirmed', present: true, session: expect.objectContaining({ date: day(-1) }) }),
      expect.objectContaining({ sessionId: sessions.later, status: 'confirmed' }),
    ]);
    expect(apps[0]!.children[1]!.bookings).toEqual([expect.objectContaining({ present: false, absenceReason: 'unwell' })]);
    expect(report.eligibilityClaims).toEqual([expect.objectContaining({ kind: 'check', outcome: 'eligible', claimedByReference: reference })]);
    const referrals = report.referrals as { scheme: string; status: string; card?: { visitsUsed: number; visits: unknown[] } }[];
    expect(referrals.map((r) => [r.scheme, r.status]).sort()).toEqual([['ACTIVE_FAMILIES', 'accepted'], ['YOUTH_CARD', 'issued']]);
    expect(referrals.find((r) => r.scheme === 'YOUTH_CARD')!.card).toMatchObject({ visitsUsed: 1, visits: [expect.objectContaining({ by: 'e2e-privacy-provider-client' })] });
    const kinds = (report.emails as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['application', 'referralPlaced']));
    expect(JSON.stringify(report)).not.toContain('sam.other@example.org');
    expect(JSON.stringify(report)).not.toContain('manageToken');
  });

  it('erases the family: its future place goes to the child waiting, nothing personal is left, the figures are as they were, a repeat answers the same', async () => {
    const before = await finance();
    const sent = await (await fetch(`${stack.sesUrl}/store`)).json() as { emails: unknown[] };
    const request = { email, reason: 'erasure request received by email on the day' };
    const first = await call('POST', '/v1/admin/erasure-requests', { token: tokens.admin, body: request });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      reason: request.reason, erasedBy: expect.any(String),
      erased: { application: 1, booking: 3, childDays: 2, referral: 2, youthCard: 1 }, cancelled: { place: 1, familyPlace: 1 },
      anonymised: { eligibilityCheck: 1 },
    });
    expect(JSON.stringify(first.json)).not.toContain(email);
    await stack.drainStream(30_000);

    // The place given up went to the other family's child, who was told; the erased family was told nothing.
    const other = await ok(call('GET', `/v1/provider/sessions/${sessions.later}/attendance`, { token: tokens.provider }));
    expect((other.attendees as { bookingId: string }[]).map((a) => a.bookingId)).toEqual([otherBooking]);
    const after = await (await fetch(`${stack.sesUrl}/store`)).json() as { emails: { destination: { to: string[] } }[] };
    expect(after.emails.slice(sent.emails.length).flatMap((e) => e.destination.to)).toEqual(['sam.other@example.org']);

    // A place given up and taken again: the reconciliation and the DfE return are the same to the penny and the child.
    expect(await finance()).toEqual(before);

    const items = (await scanAll()).map((i) => JSON.stringify(i));
    expect(found(items, [...personal, ...niForms])).toEqual([]);
    expect(found(logs, [...personal, ...niForms])).toEqual([]);
    // The other family is still there.
    expect(found(items, ['sam.other@example.org']).length).toBeGreaterThan(0);

    const again = await call('POST', '/v1/admin/erasure-requests', { token: tokens.admin, body: request });
    expect(again).toEqual(first);
    const report = await ok(call('POST', '/v1/admin/subject-access-requests', { token: tokens.admin, body: { email } }));
    expect(report).toMatchObject({ applications: [], referrals: [], eligibilityClaims: [], emails: [], erasures: [first.json] });
  });

  it('moves the expiry of the personal data left when the programme keeps it longer', async () => {
    const programme = await ok(call('GET', '/v1/programmes?scheme=HAF'));
    const mine = (programme.items as { id: string; personalDataKeptUntil: string }[]).find((p) => p.id === haf)!;
    await admin('PUT', `/v1/admin/programmes/${haf}`, {
      scheme: 'HAF', name: 'E2E privacy HAF', startDate: day(-1), endDate: day(10), bookingOpensAt: instant(-5), bookingClosesAt: instant(6), maxDaysPerChild: 4,
      retentionMonths: 24,
    });
    await stack.drainStream(30_000);
    const longer = ((await ok(call('GET', '/v1/programmes?scheme=HAF'))).items as { id: string; personalDataKeptUntil: string }[]).find((p) => p.id === haf)!;
    expect(longer.personalDataKeptUntil > mine.personalDataKeptUntil).toBe(true);
    const epoch = Date.parse(`${longer.personalDataKeptUntil}T00:00:00Z`) / 1000;
    const held = (await scanAll()).filter((i) => i.programmeId === haf && typeof i.expiresAtEpoch === 'number' && ['Booking', 'Application', 'ChildDays'].includes(String(i.entity)));
    expect(held.length).toBeGreaterThan(0);
    expect(held.map((i) => i.expiresAtEpoch)).toEqual(held.map(() => epoch));
  });

  it('refuses a bad request with the problems listed, and anyone but an admin', async () => {
    const bad = await call('POST', '/v1/admin/erasure-requests', { token: tokens.admin, body: { email: 'not an email', reason: '' } });
    expect(bad.status).toBe(422);
    expect((bad.json.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['email', 'reason']);
    expect((await call('POST', '/v1/admin/subject-access-requests', { token: tokens.finance, body: { email } })).status).toBe(403);
  });
});
