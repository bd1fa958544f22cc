import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamPoller, type StreamHandler } from '../../infra/local/streams.ts';
import { verifyFigures } from '../../shared/services/figures.ts';
import { documentClient } from '../../shared/store/client.ts';
import { storesFor } from '../../shared/wiring.ts';
import { startWorld, type Family, type World } from './world.ts';

// The notifier dies part way through batches, reports half a batch failed, and the whole stream is
// handed to it again from the start: every email still goes once, and finance's figures count each place once.

/** What the wrapper did to each batch, by its first record: the first delivery is killed, the second half fails. */
const seen = new Map<string, number>();
const faults = { killed: 0, halfFailed: 0, on: true };

/**
 * First delivery of a batch: the real notifier carries out its first half, then the process "dies" (Lambda
 * retries the whole batch). Second: it carries out all of it but reports the second half failed. Then as it is.
 */
const faulty = (real: StreamHandler): StreamHandler => async (event: DynamoDBStreamEvent, context: Context) => {
  const first = event.Records[0]?.dynamodb?.SequenceNumber ?? '';
  const delivery = (seen.get(first) ?? 0) + 1;
  seen.set(first, delivery);
  if (!faults.on || delivery > 2) return real(event, context);
  const half = Math.ceil(event.Records.length / 2);
  if (delivery === 1) {
    await real({ Records: event.Records.slice(0, half) }, context);
    faults.killed++;
    throw new Error('the notifier was killed part way through the batch');
  }
  const out = (await real(event, context)) as DynamoDBBatchResponse;
  const rest = event.Records.slice(half).map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' }));
  if (rest.length > 0) faults.halfFailed++;
  return { batchItemFailures: [...out.batchItemFailures, ...rest] };
};

let w: World;
const families: Family[] = [];
type Created = { reference: string; manageToken: string; children: { bookings: { bookingId: string; status: string }[] }[] };
const created: Created[] = [];

beforeAll(async () => {
  w = await startWorld('faults-replay', { wrapNotifier: faulty });
  await w.session('replay-1', 5);
  for (let i = 0; i < 8; i++) families.push(await w.family(i, 'replay-1'));
  // Eight at once: five places, three waiting; the stream carries many records per batch.
  const answers = await Promise.all(families.map((f, i) => w.apply(f, { 'idempotency-key': `replay-${i}` })));
  for (const a of answers) {
    expect(a.status).toBe(201);
    created.push(a.json as unknown as Created);
  }
  // One confirmed family cancels: the first waiting child is offered the place.
  const cancelling = created.find((c) => c.children[0]!.bookings[0]!.status === 'confirmed')!;
  const bookingId = cancelling.children[0]!.bookings[0]!.bookingId;
  expect((await w.call('DELETE', `/v1/bookings/${bookingId}`, undefined, { 'x-manage-token': cancelling.manageToken })).status).toBe(200);
  await w.stack.drainStream(60_000);
});
afterAll(async () => w?.stack.stop());

/** Each family's emails by subject, and the finance figures, as a parent and a finance officer see them. */
async function whatWasSent() {
  const sent = await w.emails();
  return families.map((f) => sent.filter((e) => e.destination.to[0] === f.email).map((e) => e.subject));
}
const recount = async () => (await verifyFigures({ ...storesFor(documentClient(), w.stack.tableName), now: () => new Date() }, w.programmeId)).differences;

describe('the notifier killed mid-batch, and batches failing half-way', () => {
  it('still sends each email once and counts each place once', async () => {
    // The faults really happened, to batches of more than one record.
    expect(faults.killed).toBeGreaterThan(0);
    expect(faults.halfFailed).toBeGreaterThan(0);
    const sent = await whatWasSent();
    for (const [i, subjects] of sent.entries()) {
      const { reference } = created[i]!;
      // A confirmation (or waiting-list answer) for every family; the one who cancelled and the one offered the place get one more each.
      expect(subjects.filter((s) => s.includes(reference))).toHaveLength(subjects.length);
      expect(new Set(subjects).size).toBe(subjects.length);
    }
    expect(sent.flat()).toHaveLength(families.length + 2);
    const row = await w.reconciliation();
    expect(row.placesBooked).toBe(5);
    expect(await recount()).toEqual([]);
  });
});

describe('the whole stream handed to the notifier again, twice', () => {
  it('sends nothing more and moves no figure', async () => {
    faults.on = false;
    const before = { sent: await whatWasSent(), row: await w.reconciliation() };
    const { handler } = await import('../../functions/notifier/handler.ts');
    let handed = 0;
    for (let round = 0; round < 2; round++) {
      // A new event source mapping from the trim horizon: every record the table ever wrote, delivered again.
      const replay = startStreamPoller({
        endpoint: w.stack.dynamoEndpoint, tableName: w.stack.tableName, startingPosition: 'TRIM_HORIZON', intervalMs: 50,
        handler: async (event, context) => { handed += event.Records.length; return handler(event, context); },
      });
      try {
        await replay.drain(60_000);
        expect(replay.deadLetters()).toEqual([]);
      } finally {
        await replay.stop();
      }
    }
    expect(handed).toBeGreaterThan(2 * (families.length + 2));
    expect(await whatWasSent()).toEqual(before.sent);
    expect(await w.reconciliation()).toEqual(before.row);
    expect(await recount()).toEqual([]);
  });
});
