import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDfeDouble, type DfeDouble } from '../../infra/local/dfe-double.ts';
import { validityHours } from '../../shared/domain/eligibility.ts';
import { DfeEligibilityClient } from '../../shared/eligibility/dfe-client.ts';
import type { Deps } from '../../shared/wiring.ts';
import { bornYearsAgo, day, instant } from '../support/clock.ts';
import { apiEvent, lambdaContext } from '../support/events.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { seed } from '../support/seed.ts';
import { depsFor, freshTable } from '../support/table.ts';
import { publicEdge } from '../support/public-edge.ts';

// DfE checks at the HTTP edge: the public handler on DynamoDB Local, the DfE double over HTTP. One fake
// clock is the deps' `now`, the client's and the double's, so a check finishes or expires when the test
// moves it. The programme runs 40 to 50 days from the start, with booking open until day 39, so it is
// still open once a check has outlived its 30 days.

const clock = new FakeClock();
const start = clock.date();
const slowCheckMs = 10_000;
const programmeId = 'eligibility-checks';
const sessionId = 'eligibility-checks-1';
let t: Awaited<ReturnType<typeof freshTable>>;
let deps: Deps;
let dfe: DfeDouble;
let pub: ReturnType<typeof publicEdge>;

const answer = (r: Result) => ({ status: r.statusCode, json: r.body ? JSON.parse(r.body) : undefined });
const post = async (path: string, body: unknown) => answer((await pub(apiEvent({ method: 'POST', path, body }), lambdaContext())) as Result);
const getCheck = async (checkId: string) => answer((await pub(apiEvent({
  method: 'GET', path: `/v1/eligibility-checks/${checkId}`, route: '/v1/eligibility-checks/{checkId}', params: { checkId },
}), lambdaContext())) as Result);

const checkParent = (lastName: string) => post('/v1/eligibility-checks', { lastName, dateOfBirth: '1990-02-03', nationalInsuranceNumber: 'AB123456C' });
const application = (checkId: string, email: string) => ({
  scheme: 'HAF', programmeId,
  parent: { firstName: 'Sam', lastName: 'Smith', email, postcode: 'LE11 1AA' },
  eligibility: { checkId },
  children: [{ firstName: 'Robin', lastName: 'Smith', dateOfBirth: bornYearsAgo(8, start), sessionIds: [sessionId] }],
  consent: { dataProcessing: true },
});

beforeAll(async () => {
  t = await freshTable();
  dfe = await startDfeDouble({ port: 0, clientId: 'c', clientSecret: 's', processingMs: 20, slowCheckMs, clock });
  const checker = new DfeEligibilityClient({ baseUrl: dfe.url, credentials: { clientId: 'c', clientSecret: 's' }, waitMs: 2_000, clock });
  deps = depsFor(t, { now: clock.date, checker });
  pub = publicEdge(deps);
  const s = seed(deps);
  await s.programme(programmeId, {
    startDate: day(40, start), endDate: day(50, start), bookingOpensAt: instant(-1, start), bookingClosesAt: instant(39, start),
  });
  await s.provider('soar-valley');
  await s.session(sessionId, { programmeId, date: day(45, start), ageMin: 4, ageMax: 16 });
});
afterAll(async () => {
  await dfe?.stop();
  await t?.drop();
});

describe('DfE checks at the HTTP edge', () => {
  it('a pending check settles on GET /v1/eligibility-checks/{checkId}', async () => {
    const posted = await checkParent('Slow');
    expect(posted).toMatchObject({ status: 201, json: { outcome: 'pending', checkId: expect.any(String) } });
    const { checkId } = posted.json;

    clock.advance(slowCheckMs);
    const asked = dfe.stats.statusRequests;
    const settled = await getCheck(checkId);
    expect(settled).toMatchObject({ status: 200, json: { checkId, outcome: 'eligible' } });
    expect(dfe.stats.statusRequests - asked).toBe(1);

    // Settled now: answered from the table, DfE is not asked again.
    expect(await getCheck(checkId)).toEqual(settled);
    expect(dfe.stats.statusRequests - asked).toBe(1);
  });

  it('an expired check is refused', async () => {
    const old = await checkParent('Smith');
    expect(old).toMatchObject({ status: 201, json: { outcome: 'eligible' } });

    clock.advance(validityHours.eligible * 3600_000 + 60_000);
    const refused = await post('/v1/applications', application(old.json.checkId, 'first.family@example.org'));
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([{ path: 'eligibility.checkId', message: expect.stringMatching(/expired/) }]);

    // The same application with a check made now is taken: only the old check's age was wrong.
    const fresh = await checkParent('Smith');
    const taken = await post('/v1/applications', application(fresh.json.checkId, 'first.family@example.org'));
    expect([taken.status, taken.json.status]).toEqual([201, 'confirmed']);
  });
});
