import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminActions } from '../../functions/admin-api/actions.ts';
import { startDfeDouble, type DfeDouble } from '../../infra/local/dfe-double.ts';
import { DfeEligibilityClient } from '../../shared/eligibility/dfe-client.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { adminRoutes } from '../../shared/http/routes/admin.ts';
import { type Deps, wireIdempotency } from '../../shared/wiring.ts';
import { bornYearsAgo, day, instant } from '../support/clock.ts';
import { apiEvent, claims, lambdaContext } from '../support/events.ts';
import * as f from '../support/fixtures.ts';
import { name } from '../support/names.ts';
import { depsFor, freshTable } from '../support/table.ts';
import { publicEdge } from '../support/public-edge.ts';

// The defects a hostile user found in HAF booking (issue 9), each tried against the real handlers and
// DynamoDB Local, with the DfE double over HTTP. Dates come from the clock: the programme runs from
// 20 to 30 days from now, and booking is open.

let t: Awaited<ReturnType<typeof freshTable>>;
let deps: Deps;
let dfe: DfeDouble;
let pub: ReturnType<typeof publicEdge>;
let admin: ReturnType<typeof apiHandler<typeof adminRoutes>>;
const programmeId = 'haf-defects';
let family = 0;
let sessionCount = 0;
let codeCount = 0;

const answer = (r: Result) => ({ status: r.statusCode, headers: (r.headers ?? {}) as Record<string, string>, json: r.body ? JSON.parse(r.body) : undefined });
const post = async (path: string, body: unknown, o: { headers?: Record<string, string>; sourceIp?: string } = {}) =>
  answer((await pub(apiEvent({ method: 'POST', path, body, ...o }), lambdaContext())) as Result);
const asAdmin = async (method: string, path: string, route: string, params: Record<string, string>, body?: unknown) =>
  answer((await admin(apiEvent({ method, path, route, params, body, claims: claims.admin }), lambdaContext())) as Result);
const getApplication = async (reference: string, token: string) => answer((await pub(apiEvent({
  method: 'GET', path: `/v1/applications/${reference}`, route: '/v1/applications/{reference}', params: { reference }, headers: { 'x-manage-token': token },
}), lambdaContext())) as Result);
const cancel = async (bookingId: string, token: string) => answer((await pub(apiEvent({
  method: 'DELETE', path: `/v1/bookings/${bookingId}`, route: '/v1/bookings/{bookingId}', params: { bookingId }, headers: { 'x-manage-token': token },
}), lambdaContext())) as Result);

/** A new session `days` from now (20 by default, inside the programme), with its own id. */
async function session(o: Record<string, unknown> = {}, days = 20) {
  const id = `defects-${++sessionCount}`;
  const r = await asAdmin('PUT', `/v1/admin/sessions/${id}`, '/v1/admin/sessions/{sessionId}', { sessionId: id },
    f.session({ programmeId, date: day(days), ageMin: 4, ageMax: 16, ...o }));
  expect(r.status).toBe(201);
  return id;
}

/** Fresh codes for the programme. */
async function codes(n: number, outcome = 'eligible'): Promise<string[]> {
  const list = Array.from({ length: n }, () => `DEFECT-${String(++codeCount).padStart(5, '0')}`);
  await deps.eligibility.loadCodes(programmeId, list.map((code) => ({ code, outcome: outcome as 'eligible' })), new Date().toISOString());
  return list;
}

interface Child { firstName: string; lastName: string; dateOfBirth: string }
const newChild = (): Child => ({ firstName: name('Child', ++family), lastName: 'Example', dateOfBirth: bornYearsAgo(8) });

const application = (sessionIds: string[], o: { code?: string; checkId?: string; email?: string; child?: Child; parent?: Record<string, unknown> } = {}) => ({
  scheme: 'HAF', programmeId,
  parent: { firstName: 'Sam', lastName: 'Example', email: o.email ?? `parent.${name('p', ++family)}@example.org`, postcode: 'LE11 1AA', ...o.parent },
  eligibility: o.checkId ? { checkId: o.checkId } : { code: o.code },
  children: [{ ...(o.child ?? newChild()), sessionIds }],
  consent: { dataProcessing: true },
});

type Created = { reference: string; manageToken: string; status: string; children: { bookings: { bookingId: string; status: string; reason?: string; waitlistPosition?: number }[] }[] };
const apply = async (body: unknown, headers: Record<string, string> = {}) => {
  const r = await post('/v1/applications', body, { headers });
  return { ...r, created: r.json as Created };
};
const bookingOf = (c: Created, i = 0) => c.children[0]!.bookings[i]!;

beforeAll(async () => {
  t = await freshTable();
  dfe = await startDfeDouble({ port: 0, clientId: 'c', clientSecret: 's', processingMs: 20 });
  deps = depsFor(t, { now: () => new Date(), checker: new DfeEligibilityClient({ baseUrl: dfe.url, credentials: { clientId: 'c', clientSecret: 's' }, waitMs: 2_000 }) });
  pub = publicEdge(deps);
  admin = apiHandler(adminRoutes, adminActions(deps), { idempotency: wireIdempotency(deps) });
  expect((await asAdmin('PUT', `/v1/admin/programmes/${programmeId}`, '/v1/admin/programmes/{programmeId}', { programmeId }, f.programme({
    startDate: day(-3), endDate: day(30), bookingOpensAt: instant(-5), bookingClosesAt: instant(19), maxDaysPerChild: 2, discretionaryShare: 0.15,
  }))).status).toBe(201);
  expect((await asAdmin('PUT', '/v1/admin/providers/soar-valley', '/v1/admin/providers/{providerId}', { providerId: 'soar-valley' }, f.provider())).status).toBe(201);
});
afterAll(async () => {
  await dfe?.stop();
  await t?.drop();
});

describe('1. a place freed while children wait goes to them, not to a newcomer', () => {
  it('a cancellation racing a dozen newcomers: the waiting child gets the place, round after round', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await session({ capacity: 1 });
      const [holderCode, waiterCode, ...newcomerCodes] = await codes(14);
      const holder = await apply(application([id], { code: holderCode }));
      const waiter = await apply(application([id], { code: waiterCode }));
      expect([holder.created.status, waiter.created.status]).toEqual(['confirmed', 'waitlisted']);

      const [cancelled, ...newcomers] = await Promise.all([
        cancel(bookingOf(holder.created).bookingId, holder.created.manageToken),
        ...newcomerCodes.map((code) => apply(application([id], { code }))),
      ]);
      expect(cancelled.status).toBe(200);
      expect(newcomers.map((n) => n.created.status)).toEqual(newcomerCodes.map(() => 'waitlisted'));
      expect((await getApplication(waiter.created.reference, waiter.created.manageToken)).json.status).toBe('confirmed');
      expect((await deps.catalogue.places([id])).get(id)).toMatchObject({ booked: 1, waitlisted: 12 });
    }
  });

  it('a newcomer with free school meals still takes a free place that only referred children wait for, once their share is full', async () => {
    // 7 places, 1 of them discretionary (15%): a referred child takes it, two more referred children wait.
    const id = await session({ capacity: 7 });
    const referrals = await codes(3, 'discretionary');
    const statuses = [];
    for (const code of referrals) statuses.push((await apply(application([id], { code }))).created.status);
    expect(statuses).toEqual(['confirmed', 'waitlisted', 'waitlisted']);
    const [fsm] = await codes(1);
    expect((await apply(application([id], { code: fsm }))).created.status).toBe('confirmed');
  });
});

describe('2. sessions that have started or taken place', () => {
  it('are refused with a reason a parent understands', async () => {
    const past = await session({}, -1);
    const earlierToday = await session({ startTime: '00:00', endTime: '23:59' }, 0);
    const [code] = await codes(1);
    const r = await apply(application([past, earlierToday], { code }));
    expect(r.status).toBe(201);
    expect(r.created.children[0]!.bookings.map((b) => [b.status, b.reason])).toEqual([
      ['rejected', expect.stringMatching(/already started or taken place/)], ['rejected', expect.stringMatching(/already started or taken place/)],
    ]);
  });
});

describe('3 and 6. a child known to a stranger by name and date of birth', () => {
  it('the stranger can neither spend the family’s days nor learn where the child will be; the match is flagged', async () => {
    const child = newChild();
    const [mon, tue, wed] = [await session({}, 21), await session({}, 22), await session({}, 23)];
    const [strangerCode, familyCode] = await codes(2);
    const stranger = await apply(application([mon, tue], { code: strangerCode, email: 'stranger@example.org', child }));
    expect(stranger.created.children[0]!.bookings.map((b) => b.status)).toEqual(['confirmed', 'confirmed']);

    // The child's own family still has all of its days, and is told nothing about the stranger's bookings.
    const own = await apply(application([mon, wed], { code: familyCode, email: 'the.family@example.org', child }));
    expect(own.created.children[0]!.bookings.map((b) => b.status)).toEqual(['confirmed', 'confirmed']);
    expect(JSON.stringify(own.json)).not.toMatch(/already has|most days/);

    const matches = await asAdmin('GET', `/v1/admin/programmes/${programmeId}/child-matches`, '/v1/admin/programmes/{programmeId}/child-matches', { programmeId });
    expect(matches.status).toBe(200);
    expect(matches.json.items).toEqual([expect.objectContaining({
      families: 2, references: [stranger.created.reference, own.created.reference].sort(),
    })]);
    expect(JSON.stringify(matches.json)).not.toMatch(new RegExp(`${child.firstName}|${child.dateOfBirth}`));
  });

  it('two applications from one family still share the child’s days', async () => {
    const child = newChild();
    const [a, b, c] = [await session({}, 24), await session({}, 25), await session({}, 26)];
    const [code] = await codes(1);
    expect((await apply(application([a, b], { code, email: 'one.family@example.org', child }))).created.status).toBe('confirmed');
    const third = await apply(application([c], { code, email: 'One.Family@example.org', child }));
    expect(bookingOf(third.created)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/most days/) });
  });
});

describe('4. names, and the emails a stranger can cause', () => {
  it('a name carrying a link is refused field by field', async () => {
    const [code] = await codes(1);
    const id = await session();
    const r = await apply(application([id], {
      code, parent: { firstName: 'URGENT: verify at https://evil.example/login' },
      child: { firstName: 'Click', lastName: 'www.evil.example', dateOfBirth: bornYearsAgo(8) },
    }));
    expect(r.status).toBe(422);
    expect(r.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['children.0.lastName', 'parent.firstName']);
  });

  it('an application refused before any place was considered owes no email, and claims nothing', async () => {
    const id = await session();
    const [code] = await codes(1, 'notEligible');
    const r = await apply(application([id], { code }));
    expect(r.created.status).toBe('rejected');
    expect(await deps.applications.get(r.created.reference)).toMatchObject({ status: 'complete', emailOwed: false });
  });
});

describe('5. a DfE check belongs to the parent it was about', () => {
  it('an application whose parent has another surname is refused on parent.lastName', async () => {
    const check = await post('/v1/eligibility-checks', { lastName: 'Smith', dateOfBirth: '1990-02-03', nationalInsuranceNumber: 'AB123456C' });
    expect(check.json.outcome).toBe('eligible');
    const id = await session();
    const other = await apply(application([id], { checkId: check.json.checkId, parent: { lastName: 'Jones' } }));
    expect(other.status).toBe(422);
    expect(other.json.errors).toEqual([{ path: 'parent.lastName', message: expect.stringMatching(/surname the eligibility check/) }]);
    const same = await apply(application([id], { checkId: check.json.checkId, parent: { lastName: ' smith ' } }));
    expect(same.created.status).toBe('confirmed');
  });
});

describe('7. eligibility codes', () => {
  it('wrong codes from one client are answered 429 with Retry-After after ten; other clients carry on', async () => {
    const guesses = [];
    for (let i = 0; i < 12; i++) guesses.push((await post('/v1/eligibility-checks', { code: `GUESS-${i}` }, { sourceIp: '203.0.113.7' })).status);
    expect(guesses).toEqual([...Array(10).fill(422), 429, 429]);
    const [good] = await codes(1);
    const blocked = await post('/v1/eligibility-checks', { code: good }, { sourceIp: '203.0.113.7' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const byApplication = await apply(application([await session()], { code: good }), {});
    expect(byApplication.status).toBe(201);
    expect((await post('/v1/eligibility-checks', { code: good }, { sourceIp: '198.51.100.20' })).json.outcome).toBe('eligible');
  });

  it('an application that got no place leaves the code for the family it belongs to', async () => {
    const id = await session({ ageMin: 5, ageMax: 11 });
    const [code] = await codes(1);
    const tooOld = await apply(application([id], { code, email: 'typo.address@example.org', child: { ...newChild(), dateOfBirth: bornYearsAgo(14) } }));
    expect(bookingOf(tooOld.created)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/age range/) });
    const real = await apply(application([id], { code, email: 'real.family@example.org' }));
    expect(real.created.status).toBe('confirmed');
  });

  it('a date of birth in 2100, 1800 or 9999 is a 422 on the field', async () => {
    const id = await session();
    for (const dateOfBirth of ['2100-01-01', '1800-06-01', '9999-12-31']) {
      const r = await apply(application([id], { code: 'ANY-CODE', child: { ...newChild(), dateOfBirth } }));
      expect([r.status, r.json.errors.map((e: { path: string }) => e.path)]).toEqual([422, ['children.0.dateOfBirth']]);
    }
  });

  it('codes the service makes cannot be guessed: random, in two groups, loaded as asked', async () => {
    const r = await asAdmin('POST', '/v1/admin/eligibility-codes', '/v1/admin/eligibility-codes', {},
      { programmeId, generate: { count: 200, outcome: 'eligible', prefix: 'HAF-XMAS' } });
    expect(r.status).toBe(200);
    const made = (r.json.codes as { code: string }[]).map((c) => c.code);
    expect(r.json.loaded).toBe(200);
    expect(new Set(made).size).toBe(200);
    for (const code of made) expect(code).toMatch(/^HAF-XMAS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    // Not a sequence: neighbours share no more than chance would give.
    const sorted = [...made].sort();
    expect(sorted).not.toEqual(made);
    expect((await post('/v1/eligibility-checks', { code: made[0] }, { sourceIp: '198.51.100.21' })).json.outcome).toBe('eligible');
  });
});

describe('8. answers that tell the whole story', () => {
  it('waitlisted places say where each child stands, now and as the queue moves', async () => {
    const id = await session({ capacity: 1 });
    const results = [];
    for (const code of await codes(4)) results.push((await apply(application([id], { code }))).created);
    expect(results.map((c) => bookingOf(c).waitlistPosition)).toEqual([undefined, 1, 2, 3]);
    await cancel(bookingOf(results[2]!).bookingId, results[2]!.manageToken);
    const last = await getApplication(results[3]!.reference, results[3]!.manageToken);
    expect(last.json.children[0].bookings[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
  });

  it('concurrent repeats of one Idempotency-Key: one application, and each caller gets its answer or a 409 with Retry-After', async () => {
    const id = await session();
    const [code] = await codes(1);
    const body = application([id], { code });
    const answers = await Promise.all(Array.from({ length: 30 }, () => apply(body, { 'idempotency-key': `repeat-${code}` })));
    const ok = answers.filter((a) => a.status === 201);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((a) => a.created.reference)).size).toBe(1);
    for (const a of answers.filter((x) => x.status !== 201)) expect([a.status, Number(a.headers['retry-after']) > 0]).toEqual([409, true]);
    const items = (await t.db.send(new ScanCommand({ TableName: t.tableName, FilterExpression: 'entity = :a AND begins_with(requestDigest, :any)',
      ExpressionAttributeValues: { ':a': 'Application', ':any': '' } }))).Items ?? [];
    expect(items.filter((i) => i.reference === ok[0]!.created.reference)).toHaveLength(1);
    const bookings = await t.db.send(new QueryCommand({ TableName: t.tableName, KeyConditionExpression: 'pk = :p AND begins_with(sk, :b)',
      ExpressionAttributeValues: { ':p': `SESSION#${id}`, ':b': 'BOOKING#' } }));
    expect(bookings.Items).toHaveLength(1);
  });

  it('cancelling a booking that was refused is a 409 that says why', async () => {
    const id = await session({ ageMin: 5, ageMax: 6 });
    const ok = await session();
    const [code] = await codes(1);
    const r = await apply(application([ok, id], { code }));
    const refused = bookingOf(r.created, 1);
    expect(refused.status).toBe('rejected');
    const c = await cancel(refused.bookingId, r.created.manageToken);
    expect([c.status, c.json.detail]).toEqual([409, expect.stringMatching(/not booked/)]);
  });
});
