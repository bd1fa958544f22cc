import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify, type NotifierDeps } from '../../functions/notifier/notify.ts';
import { startStreamPoller, type StreamPoller } from '../../infra/local/streams.ts';
import { resetConfig } from '../../shared/config.ts';
import { sesSender, type MailSender } from '../../shared/mail/sender.ts';
import type { ApplicationRecord, BookingOutcomeRecord, BookingRequest } from '../../shared/schemas/records.ts';
import { keys } from '../../shared/store/keys.ts';
import type { Deps } from '../../shared/wiring.ts';
import { lambdaContext } from '../support/events.ts';
import { seed } from '../support/seed.ts';
import { depsFor, freshTable } from '../support/table.ts';
import { releaseNoShows } from '../../shared/schemes/haf/release.ts';
import { figuresCounter } from '../../shared/services/figures.ts';

// The outbox end to end: records written through the stores to DynamoDB Local → its stream → the poller →
// the notifier → a real local SES. Invented people only.

interface StoredEmail { messageId: string; from: string; destination: { to: string[] }; subject: string; body: { text?: string; html?: string } }

let t: Awaited<ReturnType<typeof freshTable>>;
let stores: Deps;
let ses: Server;
let sesUrl: string;
let poller: StreamPoller;
let mailer: MailSender;
const handed: { event: DynamoDBStreamEvent; result: DynamoDBBatchResponse }[] = [];
const now = new Date('2026-11-23T10:00:00.000Z');
const expiresAtEpoch = 1_830_000_000;

const deps = (): NotifierDeps => ({
  applications: stores.applications, messages: stores.messages, catalogue: stores.catalogue, mailer, now: () => now,
  offerPlaces: async () => [], siteUrl: 'https://holiday-clubs.example.gov.uk', referrals: stores.referrals, offerRoom: async () => [], placeReferral: async () => undefined, restampRetention: async () => ({}),
  countBooking: figuresCounter({ catalogue: stores.catalogue, figures: stores.finance, now: () => now }),
  checkAbsences: (booking) => releaseNoShows({ ...stores, release: stores.bookings, now: () => now }, booking),
});

const emailsTo = async (to: string): Promise<StoredEmail[]> => {
  const { emails } = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(to));
};
const marker = async (dedupeKey: string) =>
  (await t.db.send(new GetCommand({ TableName: t.tableName, Key: keys.messageSent(dedupeKey), ConsistentRead: true }))).Item;

/** An application as the sign-up writes it: the claim of its reference, then the whole of it. */
async function application(reference: string, email: string, bookings: BookingOutcomeRecord[], o: Partial<ApplicationRecord> = {}) {
  const opening = { reference, family: `family-of-${email}`, manageToken: `token-for-${reference}`, createdAt: now.toISOString(), expiresAtEpoch, leaseUntil: now.toISOString() };
  expect(await stores.applications.open(opening)).toBe(true);
  const record: ApplicationRecord = {
    ...opening, programmeId: 'haf-christmas-2026', scheme: 'HAF', status: 'complete', emailOwed: true, updatedAt: now.toISOString(),
    parent: { firstName: 'Sam', lastName: 'Example', email, postcode: 'LE11 1AA' }, eligibility: { via: 'code', outcome: 'fsm' },
    children: [{ childId: `${reference}-1`, firstName: 'Alex', bookings }], ...o,
  };
  expect(await stores.applications.complete(record)).toBe(true);
  return record;
}

/** A place asked for on a session, as the sign-up asks for it. */
const request = (reference: string, sessionId: string, n: number, o: Partial<BookingRequest> = {}): BookingRequest => ({
  bookingId: `${reference}-1-${n}`, reference, sessionId, programmeId: 'haf-christmas-2026', providerId: 'soar-valley',
  sessionDate: sessionId === 'craft-club' ? '2026-12-23' : '2026-12-22', childId: `${reference}-1`, childKey: `child-of-${reference}`,
  family: `family-of-${reference}`, discretionary: false, arrivedAt: now.toISOString(), expiresAtEpoch,
  child: { firstName: 'Alex', lastName: 'Example', dateOfBirth: '2017-05-14' }, ...o,
});
const limits = { maxDays: 4, discretionaryPlaces: 0 };

beforeAll(async () => {
  t = await freshTable();
  stores = depsFor(t, { now: () => now });
  const mod = (await import('aws-ses-v2-local')) as unknown as { default: unknown };
  const start = ((mod.default as { default?: unknown }).default ?? mod.default) as (c: { host: string; port: number }) => Promise<Server>;
  ses = await start({ host: '127.0.0.1', port: 0 });
  sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
  mailer = sesSender({ endpoint: sesUrl });
  const make = seed(stores);
  await make.programme('haf-christmas-2026');
  await make.provider('soar-valley');
  await make.session('festive-football');
  await make.session('craft-club', { title: 'Craft Club <Christmas>', date: '2026-12-23', mealProvided: false, capacity: 1 });
  poller = startStreamPoller({
    endpoint: t.endpoint, tableName: t.tableName, intervalMs: 50, maxAttempts: 2, retryDelayMs: 10,
    handler: async (event) => {
      const result = await notify(event, deps());
      handed.push({ event, result });
      return result;
    },
  });
});

afterAll(async () => {
  await poller?.stop();
  await new Promise<void>((resolve) => (ses ? ses.close(() => resolve()) : resolve()));
  await t?.drop();
});

describe('the notifier on the table stream', () => {
  it('sends one confirmation when an application completes, and marks it sent; a redelivery sends nothing new', async () => {
    await application('HAF-AAA111', 'sam.one@example.com', [
      { bookingId: 'HAF-AAA111-1-1', sessionId: 'festive-football', status: 'confirmed' },
      { bookingId: 'HAF-AAA111-1-2', sessionId: 'craft-club', status: 'waitlisted' },
    ]);
    await poller.drain();

    const mail = await emailsTo('sam.one@example.com');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.from).toBe('"Leicestershire Holiday Clubs" <holiday-clubs@family-services.example.gov.uk>');
    expect(mail[0]!.subject).toBe('Your holiday club application HAF-AAA111');
    expect(mail[0]!.body.text).toContain('Tuesday 22 December 2026, 9:30am to 1:30pm');
    expect(mail[0]!.body.text).toContain('token-for-HAF-AAA111');
    expect(mail[0]!.body.html).toContain('Craft Club &lt;Christmas&gt;');
    const sent = await marker('application#HAF-AAA111');
    expect(sent).toMatchObject({ kind: 'application', messageId: mail[0]!.messageId, sentAt: now.toISOString() });
    expect(sent?.expiresAtEpoch).toBe(Math.floor(now.getTime() / 1000) + 90 * 86_400);

    const mine = handed.filter((h) => JSON.stringify(h.event).includes('HAF-AAA111'));
    expect(mine.length).toBeGreaterThan(0);
    for (const { event } of mine) expect(await notify(event, deps())).toEqual({ batchItemFailures: [] });
    expect(await emailsTo('sam.one@example.com')).toHaveLength(1);
  });

  it('sends nothing for an application refused before any place was considered', async () => {
    await application('HAF-NOPE11', 'refused@example.com', [
      { bookingId: 'HAF-NOPE11-1-1', sessionId: 'festive-football', status: 'rejected', reason: 'notEligible' },
    ], { emailOwed: false });
    await poller.drain();
    expect(await emailsTo('refused@example.com')).toEqual([]);
  });

  it('tells the parent when a waiting-list place is offered and when a place is cancelled', async () => {
    // craft-club has one place: someone else holds it, then gives it up.
    const holder = request('HAF-HOLD01', 'craft-club', 1);
    expect(await stores.bookings.place(holder, limits, now.toISOString())).toEqual({ status: 'confirmed' });
    const waiting = request('HAF-BBB222', 'craft-club', 2);
    expect(await stores.bookings.place(waiting, limits, now.toISOString())).toEqual({ status: 'waitlisted' });
    await application('HAF-BBB222', 'sam.two@example.com', [{ bookingId: waiting.bookingId, sessionId: 'craft-club', status: 'waitlisted' }]);
    await application('HAF-HOLD01', 'holder@example.com', [{ bookingId: holder.bookingId, sessionId: 'craft-club', status: 'confirmed' }]);
    await stores.bookings.cancel((await stores.bookings.getBooking('craft-club', holder.bookingId))!, false, '2026-11-24T08:00:00.000Z');
    expect(await stores.bookings.promote('craft-club', limits, '2026-11-24T08:00:01.000Z', expiresAtEpoch)).toEqual([waiting.bookingId]);
    await stores.bookings.cancel((await stores.bookings.getBooking('craft-club', waiting.bookingId))!, false, '2026-11-25T08:00:00.000Z');
    await poller.drain();

    const subjects = (await emailsTo('sam.two@example.com')).map((e) => e.subject);
    expect(subjects).toEqual([
      'Your holiday club application HAF-BBB222',
      'A holiday club place has come up: HAF-BBB222',
      'Holiday club place cancelled: HAF-BBB222',
    ]);
    const [, offered, cancelled] = await emailsTo('sam.two@example.com');
    expect(offered!.body.text).toContain('A place has come up and is now booked for Alex.');
    expect(offered!.body.text).toContain('Wednesday 23 December 2026');
    expect(cancelled!.body.text).toContain('HAF-BBB222-1-2');
    expect(await marker('booking#HAF-BBB222-1-2#cancelled#2026-11-25T08:00:00.000Z')).toMatchObject({ kind: 'cancelled' });
  });

  it('tells the parent when a child leaves the waiting list, and why when it was not their choice', async () => {
    // Waiting for festive-football's one place… (reset to one place for this test)
    await seed(stores).session('festive-football', { capacity: 1 });
    const first = request('HAF-FULL01', 'festive-football', 1);
    await stores.bookings.place(first, limits, now.toISOString());
    const waiting = request('HAF-DDD444', 'festive-football', 1, { childKey: 'child-dee', family: 'family-dee' });
    expect(await stores.bookings.place(waiting, limits, now.toISOString())).toEqual({ status: 'waitlisted' });
    await application('HAF-DDD444', 'sam.four@example.com', [{ bookingId: waiting.bookingId, sessionId: 'festive-football', status: 'waitlisted' }]);
    // …meanwhile the same child is booked elsewhere on that day, so when the place comes up it cannot take it.
    await seed(stores).session('other-football', { capacity: 5 });
    await stores.bookings.place({ ...request('HAF-DDD445', 'other-football', 1), childKey: 'child-dee', family: 'family-dee' }, limits, now.toISOString());
    await stores.bookings.cancel((await stores.bookings.getBooking('festive-football', first.bookingId))!, false, '2026-11-24T08:00:00.000Z');
    expect(await stores.bookings.promote('festive-football', limits, '2026-11-24T08:00:01.000Z', expiresAtEpoch)).toEqual([]);
    await poller.drain();

    const [, dropped] = await emailsTo('sam.four@example.com');
    expect(dropped!.subject).toBe('Holiday club waiting list: HAF-DDD444');
    expect(dropped!.body.text).toContain('Your child already has a session booked on this day.');
    expect(dropped!.body.text).not.toContain('token-for-HAF-DDD444');
  });

  it('reports the record for retry and marks nothing when SES is down, then sends once it is back', async () => {
    const working = mailer;
    mailer = sesSender({ endpoint: `http://127.0.0.1:${await closedPort()}`, maxAttempts: 1 });
    handed.splice(0);
    try {
      await application('HAF-CCC333', 'sam.three@example.com', [{ bookingId: 'HAF-CCC333-1-1', sessionId: 'festive-football', status: 'rejected', reason: 'clash' }]);
      await poller.drain();
    } finally {
      mailer = working;
    }
    const failedAttempts = handed.filter((h) => h.result.batchItemFailures.length > 0);
    expect(failedAttempts).toHaveLength(2); // maxAttempts, then dropped as to the dead-letter queue
    const failed = failedAttempts[0]!;
    expect(failed.result.batchItemFailures).toEqual([{ itemIdentifier: failed.event.Records.at(-1)!.dynamodb!.SequenceNumber }]);
    expect(await marker('application#HAF-CCC333')).toBeUndefined();
    expect(await emailsTo('sam.three@example.com')).toEqual([]);

    // A redrive from the dead-letter queue sends it, once.
    expect(await notify(failed.event, deps())).toEqual({ batchItemFailures: [] });
    expect(await notify(failed.event, deps())).toEqual({ batchItemFailures: [] });
    expect(await emailsTo('sam.three@example.com')).toHaveLength(1);
    expect(await marker('application#HAF-CCC333')).toBeDefined();
  });
});

describe('confirmations a stranger could cause', () => {
  it('go to one address at most five times a day; the rest are withheld and marked, not retried', async () => {
    const to = 'many.tries@example.com';
    for (let i = 1; i <= 7; i++) {
      await application(`HAF-MANY0${i}`, to, [{ bookingId: `HAF-MANY0${i}-1-1`, sessionId: 'festive-football', status: 'rejected', reason: 'clash' }]);
    }
    await poller.drain();
    expect(await emailsTo(to)).toHaveLength(5);
    const withheld = await Promise.all([6, 7].map((i) => marker(`application#HAF-MANY0${i}`)));
    expect(withheld.map((m) => m?.messageId)).toEqual(['withheld', 'withheld']);
    // Redelivered, the first five stay sent once and the others stay withheld.
    for (const { event } of handed.splice(0)) await notify(event, deps());
    expect(await emailsTo(to)).toHaveLength(5);
  });
});

describe('the deployed handler, wired from the environment', () => {
  it('sends the sample cancellation event\'s email, once', async () => {
    const env = { TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, SES_ENDPOINT: sesUrl, SITE_URL: 'https://holiday-clubs.example.gov.uk' };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    resetConfig();
    try {
      const { handler } = await import('../../functions/notifier/handler.ts');
      const event = JSON.parse(readFileSync(new URL('../../events/notifier-booking-cancelled.json', import.meta.url), 'utf8')) as DynamoDBStreamEvent;
      await application('HAF-7K3M9Q', 'sam.example@example.com', [{ bookingId: 'HAF-7K3M9Q-1-1', sessionId: 'festive-football-1222', status: 'confirmed' }],
        { manageToken: 'mt_example_7f3a9c2e4b1d8f60a5c3e9b2', emailOwed: false });
      await seed(stores).session('festive-football-1222');
      await poller.drain();
      for (let i = 0; i < 2; i++) expect(await handler(event, lambdaContext('notifier'))).toEqual({ batchItemFailures: [] });
      const cancelled = (await emailsTo('sam.example@example.com')).filter((e) => e.subject === 'Holiday club place cancelled: HAF-7K3M9Q');
      expect(cancelled).toHaveLength(1);
      expect(cancelled[0]!.body.text).toContain('Festive Football & Lunch');
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
      resetConfig();
    }
  });
});

describe('the stream poller', () => {
  it('started at LATEST, hands over only what is written after it starts', async () => {
    const seen: string[] = [];
    const late = startStreamPoller({
      endpoint: t.endpoint, tableName: t.tableName, intervalMs: 50, startingPosition: 'LATEST',
      handler: async (event) => { seen.push(...event.Records.map((r) => r.dynamodb!.Keys!.pk!.S!)); },
    });
    try {
      await late.drain();
      expect(seen).toEqual([]);
      await seed(stores).provider('probe-after-start');
      await late.drain();
      expect(seen).toEqual(['PROVIDER#probe-after-start', 'CLIENT#probe-after-start']);
    } finally {
      await late.stop();
    }
  });
});

/** A port nothing listens on: bound, noted and released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
