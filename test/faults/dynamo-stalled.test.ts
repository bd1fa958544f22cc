import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions } from '../../shared/runtime.ts';
import { documentClient } from '../../shared/store/client.ts';
import { keys, prefixes } from '../../shared/store/keys.ts';
import { eventually, startWorld, type Answer, type Family, type World } from './world.ts';

// DynamoDB Local frozen (SIGSTOP) in the middle of a rush, then thawed (SIGCONT): its sockets stay open and
// nothing answers, the worst way a dependency fails. Requests must answer 503 with Retry-After in bounded
// time; afterwards a retry with the same Idempotency-Key finishes each application, with no place twice.

let w: World;
let frozen = false;
const freeze = () => { process.kill(w.stack.dynamoPid, 'SIGSTOP'); frozen = true; };
const thaw = () => { if (frozen) process.kill(w.stack.dynamoPid, 'SIGCONT'); frozen = false; };

beforeAll(async () => { w = await startWorld('faults-stalled'); });
afterAll(async () => {
  thaw();
  await w?.stack.stop();
});

const capacity = 5;
/** The function's timeout: an answer later than this would be API Gateway's 500, not ours. */
const timeoutMs = functions['public-api'].timeoutSeconds * 1000;

describe('DynamoDB Local stopped mid-rush', () => {
  it('answers 503 with Retry-After in bounded time, and a retry with the key finishes each application once', async () => {
    await w.session('stall-1', capacity);
    const families: Family[] = [];
    for (let i = 0; i < 14; i++) families.push(await w.family(i, 'stall-1'));
    const keyOf = (i: number) => `stall-${i}`;
    const apply = (i: number) => w.apply(families[i]!, { 'idempotency-key': keyOf(i) });

    // The rush begins; once the first family is answered, the table stops answering with the rest in flight.
    const first: (Answer | undefined)[] = [];
    const early = families.slice(0, 7).map((_, i) => apply(i).then((a) => { first[i] = a; return a; }));
    await eventually('a first answer', async () => (first.some(Boolean) ? true : undefined), 60_000, 5);
    freeze();
    const late = families.slice(7).map((_, j) => apply(7 + j));
    const during = await Promise.all([...early, ...late]);
    thaw();

    // Nothing but a place or a 503 with Retry-After, never a 500, each within the function's timeout.
    expect(during.filter((a) => a.status !== 201 && a.status !== 503).map((a) => [a.status, a.json?.title])).toEqual([]);
    const unavailable = during.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const a of unavailable) {
      expect(a.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(timeoutMs);
    console.log(`while frozen: ${during.filter((a) => a.status === 201).length} × 201, ${unavailable.length} × 503, slowest ${Math.max(...during.map((a) => a.ms))} ms`);

    // Recovered: each family that had no answer retries with its key (as told: after Retry-After) until it has one.
    const final = await Promise.all(during.map(async (a, i) => {
      if (a.status === 201) return a;
      return eventually(`family ${i}'s retry`, async () => {
        const again = await apply(i);
        expect([201, 409, 503]).toContain(again.status);
        if (again.status === 201) return again;
        await new Promise((r) => setTimeout(r, Number(again.headers.get('retry-after') ?? 1) * 1000));
        return undefined;
      }, 90_000, 0);
    }));

    // One application per family, no place twice, never more than capacity; no application left half-written.
    const statuses = final.map((a) => (a.json.children as { bookings: { status: string }[] }[])[0]!.bookings[0]!.status);
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(capacity);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(families.length - capacity);
    const references = final.map((a) => String(a.json.reference));
    expect(new Set(references).size).toBe(families.length);
    const items = (await documentClient().send(new QueryCommand({
      TableName: w.stack.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.session('stall-1').pk }, ConsistentRead: true,
    }))).Items ?? [];
    const bookings = items.filter((i) => String(i.sk).startsWith(prefixes.booking));
    expect(bookings.map((b) => b.reference).sort()).toEqual([...references].sort());
    expect(bookings.filter((b) => b.status === 'confirmed')).toHaveLength(capacity);
    expect(items.find((i) => i.sk === keys.places('stall-1').sk)).toMatchObject({ booked: capacity, waitlisted: families.length - capacity });
    for (const a of final) {
      const view = await w.call('GET', `/v1/applications/${a.json.reference}`, undefined, { 'x-manage-token': String(a.json.manageToken) });
      expect(view.status).toBe(200);
      expect(['confirmed', 'waitlisted']).toContain(view.json.status);
    }

    // And one email each, once the stream has caught up.
    await w.stack.drainStream(60_000);
    const sent = await w.emails();
    for (const [i, f] of families.entries()) {
      expect(sent.filter((e) => e.destination.to[0] === f.email).map((e) => e.subject)).toEqual([expect.stringContaining(references[i]!)]);
    }
  });

  it('gives the booking site\'s "service is busy" page in bounded time, not the gateway\'s 500', async () => {
    freeze();
    try {
      const started = Date.now();
      // The page makes the visitor's session, a write the frozen table never answers: the client's timeouts answer
      // it; the page edge's deadline (shared/http/deadline.ts) is the backstop for pages that make many calls.
      const res = await fetch(`${w.stack.url}/programmes`);
      const ms = Date.now() - started;
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('Sorry, the service is busy');
      expect(ms).toBeLessThan(functions.site.timeoutSeconds * 1000);
    } finally {
      thaw();
    }
  });
});
