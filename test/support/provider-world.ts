import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { providerActions } from '../../functions/provider-api/actions.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { providerRoutes } from '../../shared/http/routes/provider.ts';
import { applyForHaf } from '../../shared/schemes/haf/apply.ts';
import { HafApplicationInput } from '../../shared/schemes/haf/input.ts';
import { cancelBooking } from '../../shared/services/applications.ts';
import { wireIdempotency } from '../../shared/wiring.ts';
import { seed } from './seed.ts';
import { apiEvent, claims, lambdaContext } from './events.ts';
import { depsFor, type freshTable } from './table.ts';

// Two providers and their Christmas sessions, with children booked through the real sign-up:
// football-1222 (soar-valley, 4 places) has four confirmed children, one cancelled and one
// waitlisted; crafts-1223 is soar-valley's too; wreake-1222 belongs to wreake-kids.
// Invented names only; notes chosen to trip up CSV and spreadsheets (names can no longer carry such text).

type Table = Awaited<ReturnType<typeof freshTable>>;
export const bookedAt = '2026-11-23T10:00:00.000Z';
export const soar = claims.provider('soar-valley-client');
export const wreake = claims.provider('wreake-kids-client');
export const attendanceRoute = '/v1/provider/sessions/{sessionId}/attendance';
type EventOptions = Partial<Parameters<typeof apiEvent>[0]>;

export async function providerWorld(t: Table) {
  const deps = depsFor(t, { now: () => new Date(bookedAt) });
  const make = seed(deps);
  await make.programme('haf-christmas-2026');
  await make.provider('soar-valley', { clientId: 'soar-valley-client' });
  await make.provider('wreake-kids', { name: 'Wreake Kids Club', clientId: 'wreake-kids-client' });
  await make.agreement('haf-christmas-2026', 'soar-valley');
  await make.session('football-1222', { capacity: 4 });
  await make.session('crafts-1223', { title: 'Christmas Crafts', date: '2026-12-23' });
  await make.session('wreake-1222', { providerId: 'wreake-kids', title: 'Winter Games' });
  await make.codes('haf-christmas-2026', Array.from({ length: 20 }, (_, i) => ({ code: `HAF-P${String(i + 1).padStart(4, '0')}`, outcome: 'eligible' as const })));

  /** `ids['obrien@football-1222']` is that child's booking on that session. */
  const ids: Record<string, string> = {};
  let family = 0;
  const book = async (key: string, sessionIds: string[], child: Record<string, unknown>, phone?: string) => {
    family++;
    const r = await applyForHaf(deps, HafApplicationInput.parse({
      scheme: 'HAF', programmeId: 'haf-christmas-2026',
      parent: { firstName: 'Sam', lastName: 'Example', email: `parent${family}@example.org`, postcode: 'LE11 1AA', ...(phone ? { phone } : {}) },
      eligibility: { code: `HAF-P${String(family).padStart(4, '0')}` },
      children: [{ dateOfBirth: '2017-05-01', ...child, sessionIds }], consent: { dataProcessing: true },
    }));
    r.children[0]!.bookings.forEach((b) => { ids[`${key}@${b.sessionId}`] = b.bookingId; });
    return r;
  };
  await book('formula', ['football-1222', 'crafts-1223'],
    { firstName: 'Ada', lastName: 'Able', dietaryNeeds: '=HYPERLINK("http://x","y"), no nuts' }, '+44 7700 900456');
  await book('obrien', ['football-1222'],
    { firstName: 'Jo', lastName: `O'Brien`, dateOfBirth: '2016-12-23', sendNeeds: 'Ear defenders, "quiet" room' }, '07700 900123');
  await book('zoe', ['football-1222'], { firstName: 'Zoë', lastName: 'Nguyễn', medicalNotes: '-inhaler in bag' });
  const leaving = await book('leaving', ['football-1222'], { firstName: 'Lee', lastName: 'Cancelled' });
  await book('waiting', ['football-1222'], { firstName: 'Wyn', lastName: 'Waiting' });
  // Wyn is offered Lee's place; Queued then finds the session full.
  await cancelBooking(deps, ids['leaving@football-1222']!, leaving.manageToken);
  await book('elsewhere', ['wreake-1222'], { firstName: 'Ola', lastName: 'Other' });
  await book('queued', ['football-1222'], { firstName: 'Queued', lastName: 'Last' });

  /** The provider API as deployed, with the clock at `at`. */
  const call = async (e: ReturnType<typeof apiEvent>, at = bookedAt) => {
    const atDeps = depsFor(t, { now: () => new Date(at) });
    const handler = apiHandler(providerRoutes, providerActions(atDeps), { idempotency: wireIdempotency(atDeps) });
    const r = (await handler(e, lambdaContext())) as Result;
    const headers = r.headers as Record<string, string>;
    return { ...r, headers, json: headers['content-type']?.includes('json') && r.body ? JSON.parse(r.body) : undefined };
  };
  return {
    deps, ids, call,
    listSessions: (query: Record<string, string> = {}, o: EventOptions = {}) =>
      call(apiEvent({ method: 'GET', path: '/v1/provider/sessions', query, claims: soar, ...o })),
    getAttendance: (sessionId: string, o: EventOptions = {}) => call(apiEvent({
      method: 'GET', path: `/v1/provider/sessions/${sessionId}/attendance`, route: attendanceRoute, params: { sessionId }, claims: soar, ...o,
    })),
    putRegister: (sessionId: string, records: unknown, at: string, claimsOf: Record<string, string> = soar) => call(apiEvent({
      method: 'PUT', path: `/v1/provider/sessions/${sessionId}/attendance`, route: attendanceRoute, params: { sessionId },
      claims: claimsOf, body: { records },
    }), at),
  };
}
