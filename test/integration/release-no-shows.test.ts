import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { providerActions } from '../../functions/provider-api/actions.ts';
import { startStreamPoller } from '../../infra/local/streams.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { providerRoutes } from '../../shared/http/routes/provider.ts';
import { effectsOf, type OwedMessage } from '../../shared/reactions/index.ts';
import { applyForHaf } from '../../shared/schemes/haf/apply.ts';
import { HafApplicationInput } from '../../shared/schemes/haf/input.ts';
import { composeHafNotice } from '../../shared/schemes/haf/notices.ts';
import { releaseNoShows } from '../../shared/schemes/haf/release.ts';
import { decodeChange } from '../../shared/store/stream.ts';
import { wireIdempotency } from '../../shared/wiring.ts';
import { apiEvent, claims, lambdaContext } from '../support/events.ts';
import { seed } from '../support/seed.ts';
import { depsFor, freshTable } from '../support/table.ts';

// A child who misses sessions without a word loses its later places to children waiting: after the
// programme's releaseAfterUnexplainedAbsences (default 2), through the registers, the stream's reaction and
// the real stores; the waitlist is offered the place and the parent is emailed why, once.

type Table = Awaited<ReturnType<typeof freshTable>>;
let t: Table;
const days = ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-29'];
const sessionOf = (d: string) => `club-${d.slice(5).replace('-', '')}`;
const booked = '2026-11-23T10:00:00.000Z';
const afternoon = (d: string) => `${d}T15:00:00.000Z`;

async function world(o: { releaseAfterUnexplainedAbsences?: number } = {}) {
  const deps = depsFor(t, { now: () => new Date(booked) });
  const make = seed(deps);
  await make.programme('haf-christmas-2026', o);
  await make.provider('soar-valley', { clientId: 'soar-valley-client' });
  for (const d of days) await make.session(sessionOf(d), { date: d, capacity: d === '2026-12-23' ? 1 : 10 });
  await make.codes('haf-christmas-2026', [1, 2].map((n) => ({ code: `HAF-R000${n}`, outcome: 'eligible' as const })));
  const apply = (n: number, firstName: string, sessionIds: string[]) => applyForHaf(deps, HafApplicationInput.parse({
    scheme: 'HAF', programmeId: 'haf-christmas-2026', eligibility: { code: `HAF-R000${n}` }, consent: { dataProcessing: true },
    parent: { firstName: 'Sam', lastName: 'Example', email: `release${n}@example.org`, postcode: 'LE11 1AA' },
    children: [{ firstName, lastName: 'Example', dateOfBirth: '2017-05-01', sessionIds }],
  }));
  const noShow = await apply(1, 'Noah', days.map(sessionOf));
  const waiting = await apply(2, 'Wren', [sessionOf('2026-12-23')]);
  expect(waiting.children[0]!.bookings[0]!.status).toBe('waitlisted');
  const bookingOn = (d: string) => noShow.children[0]!.bookings.find((b) => b.sessionId === sessionOf(d))!.bookingId;
  const register = async (d: string, record: Record<string, unknown>) => {
    const at = depsFor(t, { now: () => new Date(afternoon(d)) });
    const handler = apiHandler(providerRoutes, providerActions(at), { idempotency: wireIdempotency(at) });
    const r = (await handler(apiEvent({
      method: 'PUT', path: `/v1/provider/sessions/${sessionOf(d)}/attendance`, route: '/v1/provider/sessions/{sessionId}/attendance',
      params: { sessionId: sessionOf(d) }, claims: claims.provider('soar-valley-client'), body: { records: [{ bookingId: bookingOn(d), ...record }] },
    }), lambdaContext())) as Result;
    expect(r.statusCode).toBe(200);
  };
  return { deps, noShow, waiting, bookingOn, register };
}

/** What the notifier would do with every change since the last call: releases owed by absences, and the emails they owe. */
async function runStream(w: Awaited<ReturnType<typeof world>>, at: string, seen: DynamoDBRecord[]) {
  const fresh: DynamoDBRecord[] = [];
  const poller = startStreamPoller({ endpoint: t.endpoint, tableName: t.tableName, intervalMs: 20, handler: async (e) => { fresh.push(...e.Records); return { batchItemFailures: [] }; } });
  await poller.drain();
  await poller.stop();
  const news = fresh.filter((r) => !seen.some((s) => s.eventID === r.eventID));
  seen.push(...news);
  const deps = { ...w.deps, release: w.deps.bookings, now: () => new Date(at) };
  const emails: OwedMessage[] = [];
  for (const r of news) {
    for (const e of effectsOf(decodeChange(r))) {
      if (e.kind === 'checkAbsences') await releaseNoShows(deps, e.booking);
      if (e.kind === 'email' && e.message.kind === 'released') emails.push(e.message);
    }
  }
  return emails;
}

beforeEach(async () => { t = await freshTable(); });
afterEach(async () => t?.drop());

describe('unexplained absences', () => {
  it('after the second, release the child’s later places to the waitlist and email the parent why, once', async () => {
    const w = await world();
    const seen: DynamoDBRecord[] = [];
    await w.register('2026-12-21', { present: false });
    expect(await runStream(w, afternoon('2026-12-21'), seen)).toEqual([]);
    const status = async (d: string) => (await w.deps.bookings.getBooking(sessionOf(d), w.bookingOn(d)))?.status;
    expect(await status('2026-12-23')).toBe('confirmed');

    await w.register('2026-12-22', { present: false });
    await runStream(w, afternoon('2026-12-22'), seen);
    expect([await status('2026-12-21'), await status('2026-12-22'), await status('2026-12-23'), await status('2026-12-29')])
      .toEqual(['confirmed', 'confirmed', 'cancelled', 'cancelled']);
    // The one place on the 23rd went to the child waiting for it.
    const wren = w.waiting.children[0]!.bookings[0]!.bookingId;
    expect((await w.deps.bookings.getBooking(sessionOf('2026-12-23'), wren))?.status).toBe('confirmed');
    // The release's own write owes the email (the cancellations' usual one is not sent).
    const emails = await runStream(w, afternoon('2026-12-22'), seen);
    expect(emails).toHaveLength(1);
    const email = await composeHafNotice({ ...w.deps, siteUrl: 'https://holiday-clubs.example.gov.uk' }, emails[0]!);
    expect(email.to).toBe('release1@example.org');
    expect(email.text).toContain('Noah was not at holiday club on Monday 21 December 2026 and Tuesday 22 December 2026');
    expect(email.text).toContain(w.bookingOn('2026-12-29'));
    expect(seen.flatMap((r) => effectsOf(decodeChange(r))).filter((e) => e.kind === 'email' && e.message.kind === 'cancelled')).toEqual([]);
    // Run again (a redelivery): nothing more is released, no second release is written.
    const absence = (await w.deps.bookings.getBooking(sessionOf('2026-12-22'), w.bookingOn('2026-12-22')))!;
    expect(await releaseNoShows({ ...w.deps, release: w.deps.bookings, now: () => new Date(afternoon('2026-12-22')) }, absence)).toEqual([]);
    expect(await runStream(w, afternoon('2026-12-22'), seen)).toEqual([]);
  });

  it('do not count when the provider gives a reason, and release nothing when the programme switches it off', async () => {
    const w = await world();
    const seen: DynamoDBRecord[] = [];
    await w.register('2026-12-21', { present: false, absenceReason: 'Ill' });
    await w.register('2026-12-22', { present: false });
    await runStream(w, afternoon('2026-12-22'), seen);
    expect((await w.deps.bookings.getBooking(sessionOf('2026-12-23'), w.bookingOn('2026-12-23')))?.status).toBe('confirmed');

    await t.drop();
    t = await freshTable();
    const off = await world({ releaseAfterUnexplainedAbsences: 0 });
    await off.register('2026-12-21', { present: false });
    await off.register('2026-12-22', { present: false });
    await runStream(off, afternoon('2026-12-22'), []);
    expect((await off.deps.bookings.getBooking(sessionOf('2026-12-29'), off.bookingOn('2026-12-29')))?.status).toBe('confirmed');
  });
});
