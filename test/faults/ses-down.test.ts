import { createServer, type Socket } from 'node:net';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamHandler } from '../../infra/local/streams.ts';
import { functions } from '../../shared/runtime.ts';
import { startWorld, type Answer, type Family, type World } from './world.ts';

// SES stops answering (its port closed) while families book: the bookings stand, the stream retries the
// records that owe emails as the deployed mapping does, parks them in the dead-letter queue after its
// retries, and once SES is back a redrive sends every owed email exactly once.

let w: World;
/** Deliveries of each stream record to the notifier, by sequence number. */
const deliveries = new Map<string, number>();
const counting = (real: StreamHandler): StreamHandler => (event: DynamoDBStreamEvent, context: Context) => {
  for (const r of event.Records) {
    const n = r.dynamodb?.SequenceNumber ?? '';
    deliveries.set(n, (deliveries.get(n) ?? 0) + 1);
  }
  return real(event, context);
};

beforeAll(async () => { w = await startWorld('faults-ses', { wrapNotifier: counting }); });
afterAll(async () => w?.stack.stop());

describe('SES down during bookings', () => {
  it('keeps bookings confirmed, retries then dead-letters the emails, and sends each once after a redrive', async () => {
    await w.session('ses-1', 10);
    const families: Family[] = [];
    for (let i = 0; i < 4; i++) families.push(await w.family(i, 'ses-1'));
    await w.stack.drainStream(60_000);
    deliveries.clear();

    await w.stack.ses.stop();
    const answers = await Promise.all(families.map((f, i) => w.apply(f, { 'idempotency-key': `ses-${i}` })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(answers.map((a) => a.json.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    await w.stack.drainStream(120_000);

    // The mapping's retries (shared/runtime.ts: retryAttempts), then the on-failure queue, as CDK configures it.
    const { retryAttempts } = functions.notifier.stream!;
    const letters = w.stack.deadLetters();
    expect(letters.length).toBeGreaterThan(0);
    for (const l of letters) expect(l).toMatchObject({ requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: retryAttempts + 1 } });
    expect(Math.max(...deliveries.values())).toBe(retryAttempts + 1);

    // Nothing about the bookings moved: each family sees its place confirmed.
    for (const a of answers) {
      const view = await w.call('GET', `/v1/applications/${a.json.reference}`, undefined, { 'x-manage-token': String(a.json.manageToken) });
      expect(view.json).toMatchObject({ status: 'confirmed' });
    }
    expect((await w.reconciliation()).placesBooked).toBe(4);

    // SES is back: the dead letters are redriven (twice: an operator may press the button again).
    await w.stack.ses.start();
    const mine = async () => (await w.emails()).filter((e) => families.some((f) => f.email === e.destination.to[0]));
    expect(await mine()).toEqual([]);
    for (let round = 0; round < 2; round++) {
      for (const l of letters) expect(await w.stack.redrive(l)).toEqual({ batchItemFailures: [] });
    }
    await w.stack.drainStream(60_000);
    const sent = await w.emails();
    for (const [i, f] of families.entries()) {
      expect(sent.filter((e) => e.destination.to[0] === f.email).map((e) => e.subject)).toEqual([expect.stringContaining(String(answers[i]!.json.reference))]);
    }
    // And the stream goes on: a booking made now is emailed at once.
    const late = await w.family(9, 'ses-1');
    expect((await w.apply(late)).status).toBe(201);
    await w.stack.drainStream(60_000);
    expect((await w.emails()).filter((e) => e.destination.to[0] === late.email)).toHaveLength(1);
  });
});

describe('SES that accepts connections and never answers', () => {
  it('times each email out, so the stream retries and dead-letters it instead of hanging, and a redrive sends it once', async () => {
    await w.session('ses-2', 10);
    const f = await w.family(20, 'ses-2');
    await w.stack.drainStream(60_000);
    const before = w.stack.deadLetters().length;
    // A listener on SES's port that takes every connection and says nothing.
    await w.stack.ses.stop();
    const held = new Set<Socket>();
    const silent = createServer((socket) => { held.add(socket); });
    await new Promise<void>((resolve) => silent.listen(Number(new URL(w.stack.sesUrl).port), '127.0.0.1', resolve));
    let answer: Answer | undefined;
    try {
      answer = await w.apply(f, { 'idempotency-key': 'ses-silent' });
      expect([answer.status, answer.json.status]).toEqual([201, 'confirmed']);
      await w.stack.drainStream(90_000);
      expect(held.size).toBeGreaterThan(0);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
    const letters = w.stack.deadLetters().slice(before);
    expect(letters.length).toBeGreaterThan(0);
    await w.stack.ses.start();
    for (const l of letters) expect(await w.stack.redrive(l)).toEqual({ batchItemFailures: [] });
    expect((await w.emails()).filter((e) => e.destination.to[0] === f.email).map((e) => e.subject))
      .toEqual([expect.stringContaining(String(answer!.json.reference))]);
  });
});
