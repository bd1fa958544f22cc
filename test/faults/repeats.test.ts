import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/store/client.ts';
import { keys, prefixes } from '../../shared/store/keys.ts';
import { startWorld, type World } from './world.ts';

// A parent's phone, a proxy or a broken client repeating one request a thousand times at once.

let w: World;
beforeAll(async () => { w = await startWorld('faults-repeats'); });
afterAll(async () => w?.stack.stop());

describe('1,000 concurrent repeats of one Idempotency-Key', () => {
  it('make one application and one email; every caller gets the first answer or 409 with Retry-After, never a 5xx', async () => {
    await w.session('repeat-1', 10);
    const f = await w.family(1, 'repeat-1');
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 1_000 }, () => w.apply(f, { 'idempotency-key': 'one-thousand-taps' })));

    console.log(`1,000 repeats answered in ${Date.now() - started} ms: ${answers.filter((a) => a.status === 201).length} × 201, ${answers.filter((a) => a.status === 409).length} × 409`);
    expect(answers.filter((a) => a.status !== 201 && a.status !== 409).map((a) => a.status)).toEqual([]);
    const first = answers.filter((a) => a.status === 201);
    expect(first.length).toBeGreaterThan(0);
    expect(new Set(first.map((a) => JSON.stringify(a.json))).size).toBe(1);
    const reference = String(first[0]!.json.reference);
    expect(first[0]!.json).toMatchObject({ status: 'confirmed' });
    for (const a of answers.filter((x) => x.status === 409)) expect([a.json.status, a.headers.get('retry-after')]).toEqual([409, '1']);

    // One place taken in the session, one booking under the one reference.
    const listed = await w.call('GET', `/v1/sessions?programme=${w.programmeId}`);
    expect((listed.json.items as { id: string; remaining: number }[]).find((s) => s.id === 'repeat-1')?.remaining).toBe(9);
    const held = await documentClient().send(new QueryCommand({
      TableName: w.stack.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.session('repeat-1').pk },
    }));
    const bookings = (held.Items ?? []).filter((i) => String(i.sk).startsWith(prefixes.booking));
    expect(bookings.map((b) => b.reference)).toEqual([reference]);

    await w.stack.drainStream(60_000);
    const mine = (await w.emails()).filter((e) => e.destination.to[0] === f.email);
    expect(mine.map((e) => e.subject)).toEqual([expect.stringContaining(reference)]);
  });
});
