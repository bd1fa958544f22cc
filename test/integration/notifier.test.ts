import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify, type NotifierDeps } from '../../functions/notifier/notify.ts';
import { startStreamPoller, type StreamPoller } from '../../infra/local/streams.ts';
import { resetConfig } from '../../shared/config.ts';
import { sesSender, type MailSender } from '../../shared/mail/sender.ts';
import { CatalogueStore, sessionKey } from '../../shared/store/catalogue.ts';
import { ApplicationStore } from '../../shared/store/applications.ts';
import { MessageStore } from '../../shared/store/messages.ts';
import { lambdaContext } from '../support/events.ts';
import * as f from '../support/fixtures.ts';
import { freshTable } from '../support/table.ts';

// The outbox end to end: items written to DynamoDB Local → its stream → the poller → the notifier
// → a real local SES. Invented people only.

interface StoredEmail { messageId: string; from: string; destination: { to: string[] }; subject: string; body: { text?: string; html?: string } }

let t: Awaited<ReturnType<typeof freshTable>>;
let ses: Server;
let sesUrl: string;
let poller: StreamPoller;
let mailer: MailSender;
const handed: { event: DynamoDBStreamEvent; result: DynamoDBBatchResponse }[] = [];
const now = new Date('2026-11-23T10:00:00.000Z');

const deps = (): NotifierDeps => ({
  applications: new ApplicationStore(t.db, t.tableName), messages: new MessageStore(t.db, t.tableName),
  catalogue: new CatalogueStore(t.db, t.tableName), mailer, now: () => now, offerPlaces: async () => [],
  siteUrl: 'https://holiday-clubs.example.gov.uk',
});

const emailsTo = async (to: string): Promise<StoredEmail[]> => {
  const { emails } = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(to));
};
const put = (Item: Record<string, unknown>) => t.db.send(new PutCommand({ TableName: t.tableName, Item }));
const marker = async (dedupeKey: string) =>
  (await t.db.send(new GetCommand({ TableName: t.tableName, Key: { pk: `MESSAGE#${dedupeKey}`, sk: 'MESSAGE' }, ConsistentRead: true }))).Item;

const application = (reference: string, email: string, status: 'processing' | 'complete') => ({
  pk: `APPLICATION#${reference}`, sk: 'APPLICATION', entity: 'Application', reference, programmeId: 'haf-christmas-2026', scheme: 'HAF', status,
  manageToken: `token-for-${reference}`, parent: { firstName: 'Sam', lastName: 'Example', email, postcode: 'LE11 1AA' },
  children: [{ childId: `${reference}-1`, firstName: 'Alex', lastName: 'Example', dateOfBirth: '2017-05-14', bookings: [
    { bookingId: `${reference}-1-1`, sessionId: 'festive-football', status: 'confirmed' },
    { bookingId: `${reference}-1-2`, sessionId: 'craft-club', status: 'waitlisted' },
  ] }],
  createdAt: now.toISOString(), updatedAt: now.toISOString(),
});
const booking = (reference: string, status: string, updatedAt: string) => ({
  pk: 'SESSION#craft-club', sk: `BOOKING#${reference}-1-2`, entity: 'Booking', bookingId: `${reference}-1-2`, reference, sessionId: 'craft-club',
  programmeId: 'haf-christmas-2026', providerId: 'soar-valley', childId: `${reference}-1`, child: { firstName: 'Alex', lastName: 'Example' }, status, updatedAt,
});

beforeAll(async () => {
  t = await freshTable();
  const mod = (await import('aws-ses-v2-local')) as unknown as { default: unknown };
  const start = ((mod.default as { default?: unknown }).default ?? mod.default) as (c: { host: string; port: number }) => Promise<Server>;
  ses = await start({ host: '127.0.0.1', port: 0 });
  sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
  mailer = sesSender({ endpoint: sesUrl });
  for (const [id, o] of [['festive-football', {}], ['craft-club', { title: 'Craft Club <Christmas>', date: '2026-12-23', mealProvided: false }]] as const) {
    await put({ ...sessionKey(id), entity: 'Session', id, ...f.session(o), updatedAt: now.toISOString() });
  }
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
  it('sends one confirmation when an application completes, and marks it sent', async () => {
    await put(application('HAF-AAA111', 'sam.one@example.com', 'processing'));
    await put(application('HAF-AAA111', 'sam.one@example.com', 'complete'));
    await put({ ...application('HAF-AAA111', 'sam.one@example.com', 'complete'), updatedAt: '2026-11-23T10:05:00.000Z' });
    await poller.drain();

    const mail = await emailsTo('sam.one@example.com');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.from).toBe('holiday-clubs@family-services.example.gov.uk');
    expect(mail[0]!.subject).toBe('Your holiday club application HAF-AAA111');
    expect(mail[0]!.body.text).toContain('Tuesday 22 December 2026, 9:30am to 1:30pm');
    expect(mail[0]!.body.text).toContain('token-for-HAF-AAA111');
    expect(mail[0]!.body.html).toContain('Craft Club &lt;Christmas&gt;');
    const sent = await marker('application#HAF-AAA111');
    expect(sent).toMatchObject({ kind: 'application', messageId: mail[0]!.messageId, sentAt: now.toISOString() });
    expect(sent?.expiresAtEpoch).toBe(Math.floor(now.getTime() / 1000) + 90 * 86_400);
  });

  it('sends nothing new when the same records are delivered again', async () => {
    const before = (await emailsTo('sam.one@example.com')).length;
    for (const { event } of handed.splice(0)) expect(await notify(event, deps())).toEqual({ batchItemFailures: [] });
    expect(await emailsTo('sam.one@example.com')).toHaveLength(before);
  });

  it('tells the parent when a waiting-list place is offered and when a place is cancelled', async () => {
    await put(application('HAF-BBB222', 'sam.two@example.com', 'complete'));
    await put(booking('HAF-BBB222', 'waitlisted', '2026-11-23T10:00:00.000Z'));
    await put(booking('HAF-BBB222', 'confirmed', '2026-11-24T08:00:00.000Z'));
    await put(booking('HAF-BBB222', 'cancelled', '2026-11-25T08:00:00.000Z'));
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
    await put(application('HAF-DDD444', 'sam.four@example.com', 'complete'));
    await put(booking('HAF-DDD444', 'waitlisted', '2026-11-23T10:00:00.000Z'));
    await put({ ...booking('HAF-DDD444', 'rejected', '2026-11-24T08:00:00.000Z'), reason: 'clash' });
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
      await put(application('HAF-CCC333', 'sam.three@example.com', 'complete'));
      await poller.drain();
    } finally {
      mailer = working;
    }
    const failedAttempts = handed.filter((h) => h.result.batchItemFailures.length > 0);
    expect(failedAttempts).toHaveLength(2); // maxAttempts, then dropped as to the dead-letter queue
    const failed = failedAttempts[0]!;
    expect(failed.result.batchItemFailures).toEqual([{ itemIdentifier: failed.event.Records[0]!.dynamodb!.SequenceNumber }]);
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
    for (let i = 1; i <= 7; i++) await put(application(`HAF-MANY0${i}`, to, 'complete'));
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
      await put({ ...application('HAF-7K3M9Q', 'sam.example@example.com', 'complete'), manageToken: 'mt_example_7f3a9c2e4b1d8f60a5c3e9b2' });
      await put({ ...sessionKey('festive-football-1222'), entity: 'Session', id: 'festive-football-1222', ...f.session(), updatedAt: now.toISOString() });
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
      await put({ pk: 'PROBE#after-start', sk: 'PROBE' });
      await late.drain();
      expect(seen).toEqual(['PROBE#after-start']);
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
