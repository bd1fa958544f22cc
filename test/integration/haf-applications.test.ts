import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminActions } from '../../functions/admin-api/actions.ts';
import { notify } from '../../functions/notifier/notify.ts';
import { publicActions } from '../../functions/public-api/actions.ts';
import { startDfeDouble } from '../../infra/local/dfe-double.ts';
import { DfeEligibilityClient } from '../../shared/eligibility/dfe-client.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { publicRoutes } from '../../shared/http/routes/public.ts';
import { idempotency } from '../../shared/http/idempotency.ts';
import { SessionInput } from '../../shared/schemas/catalogue.ts';
import { EligibilityCheckInput } from '../../shared/schemas/eligibility.ts';
import { applyForHaf } from '../../shared/schemes/haf/apply.ts';
import { HafApplicationInput, type HafApplicationView } from '../../shared/schemes/haf/input.ts';
import { cancelBooking, viewApplication } from '../../shared/services/applications.ts';
import { checkEligibility } from '../../shared/services/eligibility.ts';
import { offerFreedPlaces } from '../../shared/services/waitlist.ts';
import { keys } from '../../shared/store/keys.ts';
import { MessageStore } from '../../shared/store/messages.ts';
import type { Deps } from '../../shared/wiring.ts';
import { apiEvent, lambdaContext } from '../support/events.ts';
import * as f from '../support/fixtures.ts';
import { name } from '../support/names.ts';
import { seed } from '../support/seed.ts';
import { depsFor, freshTable } from '../support/table.ts';
import { releaseNoShows } from '../../shared/schemes/haf/release.ts';
import { requestDigestWith } from '../../shared/secrets/request-digest.ts';
import { figuresCounter } from '../../shared/services/figures.ts';
import { scanTable } from '../support/scan.ts';

let t: Awaited<ReturnType<typeof freshTable>>;
let deps: Deps;
let make: ReturnType<typeof seed>;
const now = '2026-11-23T10:00:00.000Z';
// The fixture programme ends on 2027-01-01 and keeps personal data for the default 12 months.
const retentionEnds = Date.parse('2028-01-02T00:00:00Z') / 1000;
let family = 0;

// Each call is a new family with a new child (a child is known by name and date of birth) unless told otherwise.
const application = (sessionIds: string[], o: { code?: string; email?: string; child?: Record<string, unknown> } = {}) => {
  const n = ++family;
  return HafApplicationInput.parse({
    scheme: 'HAF', programmeId: 'haf-christmas-2026',
    parent: { firstName: 'Sam', lastName: 'Example', email: o.email ?? `parent${n}@example.org`, phone: '07700 900123', postcode: 'LE11 1AA' },
    eligibility: { code: o.code ?? 'HAF-OPEN' },
    children: [{ firstName: name('Child', n), lastName: 'Example', dateOfBirth: '2017-05-01', sessionIds, ...o.child }],
    consent: { dataProcessing: true },
  });
};
const statuses = (r: Awaited<ReturnType<typeof applyForHaf>>) => r.children.flatMap((c) => c.bookings.map((b) => b.status));

// A test that needs a session in a given state makes its own, so that it runs alone and in any order.
let made = 0;
const newSession = async (stem: string, o: Record<string, unknown>) => {
  const id = `${stem}-${++made}`;
  await make.session(id, o);
  return id;
};
/** A session of 2 places with two children confirmed and a third waiting, in that order. */
const bookedSession = async (stem: string) => {
  const id = await newSession(stem, { capacity: 2, date: '2026-12-21' });
  for (let i = 0; i < 3; i++) await applyForHaf(deps, application([id], { code: nextCode() }));
  return id;
};
const scanAll = () => scanTable(t.db, t.tableName);
/** Fifty-two families at once for 40 places (so some wait), and one refused as not eligible. */
const crowd = async () => {
  const id = await newSession('crowd', { capacity: 40, date: '2026-12-22' });
  const answers = await Promise.all(Array.from({ length: 52 }, () => applyForHaf(deps, application([id], { code: nextCode() }))));
  const refused = await applyForHaf(deps, application([id], { code: 'HAF-NOPE' }));
  expect(answers.flatMap(statuses).filter((s) => s === 'waitlisted')).toHaveLength(12);
  expect(statuses(refused)).toEqual(['rejected']);
};

beforeAll(async () => {
  t = await freshTable();
  deps = depsFor(t);
  make = seed(deps);
  await make.programme('haf-christmas-2026', { maxDaysPerChild: 2, discretionaryShare: 0.15 });
  await make.provider('soar-valley');
  await make.agreement('haf-christmas-2026', 'soar-valley');
  for (const [id, o] of Object.entries({
    small: { capacity: 2, date: '2026-12-21' }, rush: { capacity: 10, date: '2026-12-22' }, mixed: { capacity: 7, date: '2026-12-23' },
    third: { capacity: 10, date: '2026-12-24' },
    fourth: { capacity: 10, date: '2026-12-29' }, tiny: { capacity: 1, date: '2026-12-30' }, pager: { capacity: 7, date: '2026-12-31' },
  })) await make.session(id, o);
  // One code shared by many test families would be refused, so each family gets its own below.
  await make.codes('haf-christmas-2026', [
    ...Array.from({ length: 300 }, (_, i) => ({ code: `HAF-F${String(i).padStart(4, '0')}`, outcome: 'eligible' as const })),
    { code: 'HAF-NOPE', outcome: 'notEligible' }, { code: 'HAF-REFER1', outcome: 'discretionary' }, { code: 'HAF-REFER2', outcome: 'discretionary' },
  ]);
});
afterAll(async () => t?.drop());

let codes = 0;
const nextCode = () => `HAF-F${String(codes++).padStart(4, '0')}`;

describe('HAF applications against DynamoDB Local', () => {
  it('confirms places until the session is full, then waitlists in arrival order', async () => {
    const first = await applyForHaf(deps, application(['small'], { code: nextCode() }));
    const second = await applyForHaf(deps, application(['small'], { code: nextCode() }));
    const third = await applyForHaf(deps, application(['small'], { code: nextCode() }));
    expect([statuses(first), statuses(second), statuses(third)]).toEqual([['confirmed'], ['confirmed'], ['waitlisted']]);
    expect(third.status).toBe('waitlisted');
    expect(first.reference).toMatch(/^HAF-[0-9A-Z]{8}$/);
    expect(await deps.bookings.waitlist('small')).toEqual([third.children[0]!.bookings[0]!.bookingId]);
  });

  it('never overbooks under concurrent applications: exactly capacity confirmed, the rest waitlisted', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => applyForHaf(deps, application(['rush'], { code: nextCode() }))));
    const all = results.flatMap(statuses);
    expect(all.filter((s) => s === 'confirmed')).toHaveLength(10);
    expect(all.filter((s) => s === 'waitlisted')).toHaveLength(30);
    const places = (await deps.catalogue.places(['rush'])).get('rush');
    expect(places).toMatchObject({ capacity: 10, booked: 10, waitlisted: 30 });
    expect(await deps.bookings.waitlist('rush')).toHaveLength(30);
  });

  it('cancelling a confirmed place offers it to the first child on the waitlist', async () => {
    const booked = [];
    for (let i = 0; i < 10; i++) booked.push(await applyForHaf(deps, application(['third'], { code: nextCode() })));
    expect(booked.every((r) => r.status === 'confirmed')).toBe(true);
    const firstInLine = await applyForHaf(deps, application(['third'], { code: nextCode() }));
    const secondInLine = await applyForHaf(deps, application(['third'], { code: nextCode() }));
    const idOf = (r: typeof firstInLine) => r.children[0]!.bookings[0]!.bookingId;
    expect(await deps.bookings.waitlist('third')).toEqual([idOf(firstInLine), idOf(secondInLine)]);

    const cancelled = await cancelBooking(deps, idOf(booked[3]!), booked[3]!.manageToken);
    expect(cancelled).toEqual({ bookingId: idOf(booked[3]!), status: 'cancelled', late: false });
    expect((await viewApplication(deps, firstInLine.reference, firstInLine.manageToken) as HafApplicationView).children[0]!.bookings[0]!.status).toBe('confirmed');
    expect((await viewApplication(deps, booked[3]!.reference, booked[3]!.manageToken)).status).toBe('rejected');
    expect(await deps.bookings.waitlist('third')).toEqual([idOf(secondInLine)]);
    expect((await deps.catalogue.places(['third'])).get('third')).toMatchObject({ booked: 10, waitlisted: 1 });

    await expect(cancelBooking(deps, idOf(booked[3]!), booked[3]!.manageToken)).rejects.toMatchObject({ kind: 'conflict' });
    await expect(cancelBooking(deps, idOf(secondInLine), 'x'.repeat(32))).rejects.toMatchObject({ kind: 'notFound' });
    await expect(viewApplication(deps, secondInLine.reference, undefined)).rejects.toMatchObject({ kind: 'notFound' });
  });

  it('cancels once when a parent presses cancel twice at the same moment; the other answer is a conflict', async () => {
    const r = await applyForHaf(deps, application(['fourth'], { code: nextCode() }));
    const id = r.children[0]!.bookings[0]!.bookingId;
    const both = await Promise.allSettled([cancelBooking(deps, id, r.manageToken), cancelBooking(deps, id, r.manageToken)]);
    expect(both.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(both.find((o) => o.status === 'rejected')).toMatchObject({ reason: { kind: 'conflict' } });
  });

  it('keeps a child within the programme’s days and to one session a day across applications', async () => {
    const [first, full, afternoon, later] = [
      await newSession('days-first', { capacity: 10, date: '2026-12-23' }), await newSession('days-full', { capacity: 1, date: '2026-12-22' }),
      await newSession('days-afternoon', { capacity: 10, date: '2026-12-21', startTime: '14:00', endTime: '18:00' }),
      await newSession('days-later', { capacity: 10, date: '2026-12-24' }),
    ];
    expect(statuses(await applyForHaf(deps, application([full], { code: nextCode() })))).toEqual(['confirmed']);
    const child = { firstName: 'Nguyễn', lastName: "O'Brien-Smith", dateOfBirth: '2016-03-03' };
    const code = nextCode();
    const email = 'same.family@example.org';
    expect(statuses(await applyForHaf(deps, application([first], { code, email, child })))).toEqual(['confirmed']);
    // The same child however the name is spaced: the session is full, so a waitlist place that holds no day.
    const queued = await applyForHaf(deps, application([full], { code, email, child: { ...child, firstName: ' nguyễn ' } }));
    expect(queued.children[0]!.bookings[0]).toMatchObject({ status: 'waitlisted' });
    const sameDay = await applyForHaf(deps, application([afternoon, later], { code, email, child }));
    expect(statuses(sameDay)).toEqual(['confirmed', 'rejected']);
    expect(sameDay.children[0]!.bookings[1]!.reason).toMatch(/most days/);
    const again = await applyForHaf(deps, application([afternoon], { code, email, child }));
    expect(again.children[0]!.bookings[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/already has a session/) });
  });

  it('refuses a code another family used, a not-eligible code, and an unknown code', async () => {
    const code = nextCode();
    await applyForHaf(deps, application(['mixed'], { code, email: 'first@example.org' }));
    const other = await applyForHaf(deps, application(['mixed'], { code, email: 'second@example.org' }));
    expect(other.children[0]!.bookings[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/another family/) });
    const no = await applyForHaf(deps, application(['mixed'], { code: 'HAF-NOPE' }));
    expect(no.children[0]!.bookings[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/not eligible/) });
    await expect(applyForHaf(deps, application(['mixed'], { code: 'HAF-NEVER' }))).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('lets only the family that first cites an eligibility check use it', async () => {
    const checkId = randomUUID();
    await deps.eligibility.putCheck({ checkId, outcome: 'eligible', createdAt: now, expiresAt: '2026-12-23T10:00:00.000Z' });
    const withCheck = (email: string) => ({ ...application(['mixed'], { email }), eligibility: { checkId } });
    const first = await applyForHaf(deps, withCheck('checked.family@example.org'));
    const other = await applyForHaf(deps, withCheck('borrowed.check@example.org'));
    const again = await applyForHaf(deps, withCheck('Checked.Family@example.org'));
    expect(first.children[0]!.bookings[0]!.status).not.toBe('rejected');
    expect(other.children[0]!.bookings[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/made for another family/) });
    expect(again.children[0]!.bookings[0]!.status).not.toBe('rejected');
  });

  it('gives referred children without FSM no more than the discretionary share of a session', async () => {
    // 7 places: 15% of 7 rounds down to 1 discretionary place.
    const id = await newSession('referrals', { capacity: 7, date: '2026-12-23' });
    const first = await applyForHaf(deps, application([id], { code: 'HAF-REFER1' }));
    const second = await applyForHaf(deps, application([id], { code: 'HAF-REFER2' }));
    expect(statuses(first)).toEqual(['confirmed']);
    expect(statuses(second)).toEqual(['waitlisted']);
    expect((await deps.catalogue.places([id])).get(id)?.discretionaryBooked).toBe(1);
  });

  it('rejects sessions once booking has closed', async () => {
    const late = depsFor(t, { now: () => new Date('2026-12-19T10:00:00Z') });
    const r = await applyForHaf(late, application(['fourth'], { code: nextCode() }));
    expect(r.children[0]!.bookings[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/not open/) });
  });
});

describe('a request cut off half way (a function timeout) and sent again', () => {
  it('resumes the same application: places already taken are kept, not refused as clashes', async () => {
    const input = application(['fourth', 'mixed'], { code: nextCode(), email: 'cut.off@example.org' });
    let placed = 0;
    const dying = depsFor(t);
    const place = dying.bookings.place.bind(dying.bookings);
    dying.bookings.place = async (...args) => {
      if (placed++ === 1) throw new Error('Task timed out');
      return place(...args);
    };
    // A killed function writes nothing more: not even the completed application.
    dying.applications = Object.assign(Object.create(dying.applications), { complete: async () => { throw new Error('Task timed out'); } });
    await expect(applyForHaf(dying, input, { requestKey: 'key-cut-off' })).rejects.toThrow('Task timed out');
    // The client retries after its request timed out: by then the dead run's hold on the application has lapsed.
    const later = depsFor(t, { now: () => new Date(Date.parse(now) + 20_000) });
    const again = await applyForHaf(later, input, { requestKey: 'key-cut-off' });
    const once = await applyForHaf(deps, input, { requestKey: 'key-cut-off' });
    // Before the retry, the half-done application answered "still being processed", not a crash.
    await deps.applications.open({ reference: 'HAF-PROCESS1', family: 'f', manageToken: 'm'.repeat(32), createdAt: now, expiresAtEpoch: retentionEnds, leaseUntil: now });
    await expect(viewApplication(deps, 'HAF-PROCESS1', 'm'.repeat(32))).rejects.toMatchObject({ kind: 'conflict' });
    await expect(cancelBooking(deps, 'HAF-PROCESS1-1-1', 'm'.repeat(32))).rejects.toMatchObject({ kind: 'conflict' });
    expect(once).toEqual(again);
    expect(again.children[0]!.bookings.map((b) => b.status)).toEqual(['confirmed', expect.stringMatching(/confirmed|waitlisted/)]);
    expect(again.children[0]!.bookings[0]!.bookingId).toBe(`${again.reference}-1-1`);
    // The same key with another request is refused, as the contract says, rather than booked as something else.
    await expect(applyForHaf(deps, application(['fourth'], { code: nextCode(), email: 'someone.else@example.org' }), { requestKey: 'key-cut-off' }))
      .rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'Idempotency-Key' }] });
  });
});

describe('a booking that fails part way (DynamoDB busy beyond its retries)', () => {
  /** Deps whose place() fails on the given calls; `committed` fails after the transaction went through. */
  const failingOn = (calls: number[], committed = false) => {
    const busy = depsFor(t);
    const place = busy.bookings.place.bind(busy.bookings);
    let n = 0;
    busy.bookings.place = async (...args) => {
      const fails = calls.includes(n++);
      if (fails && !committed) throw Object.assign(new Error('busy'), { name: 'ThrottlingException' });
      const result = await place(...args);
      if (fails) throw Object.assign(new Error('busy'), { name: 'ThrottlingException' });
      return result;
    };
    return busy;
  };

  /** Two children, a session each: a child's own places are one transaction, so "part way" is between children. */
  const twoChildren = (o: { code: string; email: string }) => {
    const one = application(['fourth'], o);
    return HafApplicationInput.parse({ ...one, children: [...one.children, { ...one.children[0]!, firstName: 'Second', sessionIds: ['mixed'] }] });
  };

  it('completes the application with the places already taken and the rest unavailable', async () => {
    const input = twoChildren({ code: nextCode(), email: 'busy.day@example.org' });
    const answer = await applyForHaf(failingOn([1]), input, { requestKey: 'key-busy' });
    expect(answer.children.flatMap((c) => c.bookings)).toMatchObject([
      { status: 'confirmed', sessionId: 'fourth' }, { status: 'rejected', sessionId: 'mixed', reason: expect.stringMatching(/busy/) },
    ]);
    expect((await deps.applications.get(answer.reference))?.status).toBe('complete');
    // A retry gets the same answer: the parent applies again for what was unavailable.
    expect(await applyForHaf(deps, input, { requestKey: 'key-busy' })).toEqual(answer);
  });

  it('records a place whose transaction went through although the error came back', async () => {
    const input = twoChildren({ code: nextCode(), email: 'lost.reply@example.org' });
    const answer = await applyForHaf(failingOn([0], true), input, { requestKey: 'key-lost-reply' });
    expect(answer.children.flatMap((c) => c.bookings.map((b) => b.status))).toEqual(['confirmed', 'rejected']);
    expect((await viewApplication(deps, answer.reference, answer.manageToken) as HafApplicationView).children[0]!.bookings[0]!.status).toBe('confirmed');
  });

  it('holds nothing and answers the error when the first place fails; the same key then starts it again', async () => {
    const input = application(['fourth'], { code: nextCode(), email: 'first.fails@example.org' });
    await expect(applyForHaf(failingOn([0]), input, { requestKey: 'key-first-fails' })).rejects.toMatchObject({ name: 'ThrottlingException' });
    const retried = await applyForHaf(deps, input, { requestKey: 'key-first-fails' });
    expect(retried.status).toBe('confirmed');
  });
});

describe('POST /v1/applications with an Idempotency-Key', () => {
  it('returns the first answer for a retry and refuses the key with another body', async () => {
    const handler = apiHandler(publicRoutes, publicActions(deps), {
      idempotency: idempotency(t.tableName, deps.requestDigest, { endpoint: t.endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    });
    const body = application(['fourth'], { code: nextCode() });
    const send = async (b: unknown) => (await handler(apiEvent({ method: 'POST', path: '/v1/applications', body: b, headers: { 'idempotency-key': 'retry-42' } }), lambdaContext())) as Result;
    const first = await send(body);
    const retry = await send(body);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(JSON.parse(retry.body!).reference).toBe(JSON.parse(first.body!).reference);
    const other = await send({ ...body, parent: { ...body.parent, firstName: 'Different' } });
    expect(other.statusCode).toBe(422);
    expect(JSON.parse(other.body!).errors[0].path).toBe('Idempotency-Key');
  });

  it('keeps a digest keyed with the server secret: under the same secret a retry finds its application, under another it is a 422', async () => {
    const under = (secret: string) => ({ ...deps, requestDigest: requestDigestWith(async () => secret) });
    const body = HafApplicationInput.parse(application(['fourth'], { code: nextCode() }));
    const first = await applyForHaf(under('the-secret-of-this-deployment-000'), body, { requestKey: 'keyed-sign-up' });
    const again = await applyForHaf(under('the-secret-of-this-deployment-000'), body, { requestKey: 'keyed-sign-up' });
    expect(again.reference).toBe(first.reference);
    const stored = await deps.applications.get(first.reference);
    expect(stored?.requestDigest).toBe(await requestDigestWith(async () => 'the-secret-of-this-deployment-000')('application', 'keyed-sign-up', body));
    await expect(applyForHaf(under('a-different-secret-entirely-11111'), body, { requestKey: 'keyed-sign-up' }))
      .rejects.toMatchObject({ issues: [{ path: 'Idempotency-Key' }] });
  });
});

describe('offering a freed place past children who wait for a discretionary place', () => {
  it('reads further down the waitlist than one page to find the first child who can take it', async () => {
    const referrals = Array.from({ length: 13 }, (_, i) => ({ code: `HAF-D${String(i).padStart(4, '0')}`, outcome: 'discretionary' as const }));
    await deps.eligibility.loadCodes('haf-christmas-2026', referrals, now);
    // 7 places, 1 of them discretionary (15%): one referred child and six with FSM fill it.
    expect((await applyForHaf(deps, application(['pager'], { code: 'HAF-D0000' }))).status).toBe('confirmed');
    const fsm = [];
    for (let i = 0; i < 6; i++) fsm.push(await applyForHaf(deps, application(['pager'], { code: nextCode() })));
    // Twelve referred children queue first (more than one page of the waitlist), then one with FSM.
    for (const { code } of referrals.slice(1)) expect((await applyForHaf(deps, application(['pager'], { code }))).status).toBe('waitlisted');
    const fsmWaiting = await applyForHaf(deps, application(['pager'], { code: nextCode() }));
    expect(await deps.bookings.waitlist('pager')).toHaveLength(13);

    await cancelBooking(deps, fsm[0]!.children[0]!.bookings[0]!.bookingId, fsm[0]!.manageToken);
    expect((await viewApplication(deps, fsmWaiting.reference, fsmWaiting.manageToken)).status).toBe('confirmed');
    expect(await deps.bookings.waitlist('pager')).toHaveLength(12);
    expect((await deps.catalogue.places(['pager'])).get('pager')).toMatchObject({ booked: 7, discretionaryBooked: 1, waitlisted: 12 });
  });
});

describe('a place freed by a request that died before offering it', () => {
  it('is offered to the waitlist from the table’s stream', async () => {
    const booked = await applyForHaf(deps, application(['tiny'], { code: nextCode() }));
    const waiting = await applyForHaf(deps, application(['tiny'], { code: nextCode() }));
    expect([booked.status, waiting.status]).toEqual(['confirmed', 'waitlisted']);
    const dying = depsFor(t);
    dying.bookings.promote = async () => { throw Object.assign(new Error('gone'), { name: 'ThrottlingException' }); };
    const places = async () => (await t.db.send(new GetCommand({ TableName: t.tableName, Key: keys.places('tiny'), ConsistentRead: true }))).Item!;
    const before = await places();
    await cancelBooking(dying, booked.children[0]!.bookings[0]!.bookingId, booked.manageToken);
    expect(await deps.bookings.waitlist('tiny')).toHaveLength(1);

    // The stream record of the cancellation's write to the session's counts, as Lambda hands it over.
    const record = {
      eventID: 'freed', eventName: 'MODIFY' as const,
      dynamodb: { NewImage: marshall(await places()) as never, OldImage: marshall(before) as never, SequenceNumber: '1' },
    };
    const result = await notify({ Records: [record] }, {
      applications: deps.applications, catalogue: deps.catalogue, messages: new MessageStore(t.db, t.tableName), now: deps.now,
      siteUrl: 'https://holiday-clubs.example.gov.uk', mailer: { send: async () => { throw new Error('no email is owed by a count'); } },
      offerPlaces: (sessionId) => offerFreedPlaces(deps, sessionId, now), referrals: deps.referrals, offerRoom: async () => [], placeReferral: async () => undefined, restampRetention: async () => ({}),
      countBooking: figuresCounter({ catalogue: deps.catalogue, figures: deps.finance, now: deps.now }),
      checkAbsences: (booking) => releaseNoShows({ ...deps, release: deps.bookings }, booking),
    });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await deps.bookings.waitlist('tiny')).toEqual([]);
    expect((await viewApplication(deps, waiting.reference, waiting.manageToken)).status).toBe('confirmed');
  });
});

describe('an admin changing a session that has bookings', () => {
  const putSession = (sessionId: string, o: Record<string, unknown>) =>
    adminActions(deps).putSession({ params: { sessionId }, body: SessionInput.parse(f.session(o)) } as never);

  it('refuses to move its date (each child holds one session a day) and keeps it as it was', async () => {
    const id = await bookedSession('moving');
    await expect(putSession(id, { capacity: 2, date: '2026-12-30' })).rejects.toMatchObject({ kind: 'conflict' });
    expect((await deps.catalogue.getSession(id))?.date).toBe('2026-12-21');
  });

  it('offers added places to the waitlist in arrival order', async () => {
    const id = await bookedSession('growing');
    const [first] = await deps.bookings.waitlist(id);
    const reply = await putSession(id, { capacity: 3, date: '2026-12-21' });
    expect(reply.status).toBe(200);
    expect(await deps.bookings.waitlist(id)).toEqual([]);
    expect((await deps.catalogue.places([id])).get(id)).toMatchObject({ capacity: 3, booked: 3, waitlisted: 0 });
    const reference = first!.replace(/-\d+-\d+$/, '');
    const stored = await deps.applications.get(reference);
    expect(stored?.status).toBe('complete');
    const current = await deps.applications.currentBookings(stored as Extract<typeof stored, { status: 'complete' }>);
    expect(current.get(first!)?.status).toBe('confirmed');
  });
});

describe('children’s data', () => {
  it('marks everything that names a family or a child to go when the programme’s retention ends, and no count', async () => {
    await crowd();
    const items = await scanAll();
    const kind = (i: Record<string, unknown>) => String(i.sk).startsWith('WAITLIST#') ? 'waitlist' : `${String(i.pk).split('#')[0]}/${String(i.sk).split('#')[0]}`;
    const expiries = new Map<string, Set<unknown>>();
    for (const i of items) expiries.set(kind(i), (expiries.get(kind(i)) ?? new Set()).add(i.expiresAtEpoch));
    for (const personal of ['APPLICATION/APPLICATION', 'SESSION/BOOKING', 'waitlist', 'CHILD/PROGRAMME']) {
      expect([personal, [...expiries.get(personal)!]]).toEqual([personal, [retentionEnds]]);
    }
    const claimed = items.filter((i) => String(i.pk).startsWith('CODE#') && i.claimedBy);
    expect(claimed.length).toBeGreaterThan(10);
    expect(new Set(claimed.map((i) => i.expiresAtEpoch))).toEqual(new Set([retentionEnds]));
    for (const kept of ['SESSION/PLACES', 'SESSION/SESSION', 'PROGRAMME/PROGRAMME', 'PROGRAMME/AGREEMENT', 'PROVIDER/PROVIDER']) {
      expect([kept, [...expiries.get(kept)!]]).toEqual([kept, [undefined]]);
    }
  });

  it('keeps a child’s first name only on the application: what a provider needs is on the bookings', async () => {
    await crowd();
    const items = await scanAll();
    const children = items.filter((i) => i.entity === 'Application' && i.status === 'complete').flatMap((i) => i.children as Record<string, unknown>[]);
    expect(children.length).toBeGreaterThan(50);
    expect(new Set(children.flatMap((c) => Object.keys(c)))).toEqual(new Set(['childId', 'firstName', 'bookings']));
    const reasons = children.flatMap((c) => (c.bookings as { reason?: string }[]).map((b) => b.reason)).filter(Boolean);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).toMatch(/^[a-zA-Z]+$/); // a code; the words come from the domain
  });

  it('keeps no NI number anywhere in the table', async () => {
    // A real check with DfE (the double, over HTTP), then an application citing it.
    const credentials = { clientId: 'haf-council', clientSecret: 'secret-for-tests' };
    const dfe = await startDfeDouble({ port: 0, ...credentials });
    const parent = { lastName: 'Patel', dateOfBirth: '1984-07-19', nationalInsuranceNumber: 'jt 48 62 10 a' };
    try {
      const checker = new DfeEligibilityClient({ baseUrl: dfe.url, credentials, waitMs: 5_000 });
      const withDfe = depsFor(t, { checker });
      const check = await checkEligibility(withDfe, EligibilityCheckInput.parse(parent));
      expect(check.outcome).toBe('eligible');
      const id = await newSession('checked', { capacity: 10, date: '2026-12-22' });
      const input = application([id]);
      const applied = await applyForHaf(withDfe, { ...input, parent: { ...input.parent, lastName: parent.lastName }, eligibility: { checkId: check.checkId } });
      expect(statuses(applied)).toEqual(['confirmed']);
      expect(dfe.stats.checks).toBe(1);
    } finally {
      await dfe.stop();
    }
    const items = await scanAll();
    expect(items.length).toBeGreaterThan(100);
    const table = JSON.stringify(items);
    expect(table).not.toMatch(/nationalInsurance|[A-CEGHJ-PR-TW-Z]{2}\d{6}[A-D]/);
    // However it might be written: spaced or not, in either case; and the parent's date of birth in any common form.
    expect(table.replace(/\s+/g, '').toUpperCase()).not.toContain('JT486210A');
    for (const date of ['1984-07-19', '19840719', '19/07/1984']) expect(table).not.toContain(date);
  });
});
