import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '../../infra/local/stack.ts';
import { keys } from '../../shared/store/keys.ts';
import { batchGet } from '../../shared/store/dynamo.ts';
import { meter, type MeterSnapshot, type Usage } from './meter.ts';
import { type Api, percentile, runLoad } from './http.ts';
import { applications, createProgramme, loadCodes, type FamilyShape } from './world.ts';

// One rush: set up a programme, fire every family's application at once from the load process,
// then read the table back for the two things that must never happen: a session over capacity, a lost request.

export interface RushSpec { runId: string; families: number; sessions: number; capacity: number; shape: FamilyShape; concurrency: number; seed?: number }

export interface RushFigures {
  runId: string; concurrency: number; applications: number; places: number; attempts: number;
  confirmed: number; waitlisted: number; rejected: number;
  /** Confirmed booking items above capacity, summed over sessions, read back from the table. */
  overbooked: number;
  /** Requests with no outcome: non-2xx, network errors, or a 201 whose application is not complete in the table. */
  lost: number;
  lostDetail: string[];
  /** Lost requests answered on one retry with the same Idempotency-Key, as the booking site would retry. */
  recoveredByRetry: number;
  /** Sessions whose `booked` counter differs from the confirmed booking items under them. */
  counterMismatches: number;
  /** Booking transactions sent by public-api, and how many were cancelled (a full session, or a conflict retried). */
  transactions: number; transactionsCancelled: number;
  emailsOwed: number; emailsSent: number;
  durationS: number; throughputPerS: number; p50Ms: number; p95Ms: number; p99Ms: number;
  /** DynamoDB usage by function from the first request until every email went (the bench's own reads are `bench`). */
  usage: MeterSnapshot;
}

const emails = async (stack: LocalStack) =>
  ((await (await fetch(`${stack.sesUrl}/store`)).json()) as { emails: unknown[] }).emails.length;

export async function runRush(stack: LocalStack, admin: Api, db: DynamoDBDocumentClient, spec: RushSpec): Promise<RushFigures> {
  const { programmeId, sessions } = await createProgramme(admin, spec.runId, spec.sessions, spec.capacity);
  const plan = applications(spec.runId, programmeId, sessions, spec.families, spec.shape, spec.seed);
  await loadCodes(admin, programmeId, plan.codes);
  // The stream is drained and the mailbox emptied, so this rush's emails are counted alone.
  await stack.drainStream(180_000);
  await fetch(`${stack.sesUrl}/clear-store`, { method: 'POST' });

  const before = meter.snapshot();
  const report = await runLoad({ url: stack.url, concurrency: spec.concurrency, timeoutMs: 60_000, requests: plan.requests }, spec.runId);
  const results = report.results;
  const outcomes = results.flatMap((r) => r.outcomes ?? []);
  const created = results.filter((r) => r.status === 201 && r.reference);
  const stored = await batchGet(db, stack.tableName, created.map((r) => keys.application(r.reference!)));
  const complete = new Set(stored.filter((a) => a.status === 'complete').map((a) => String(a.reference)));
  const lost = results.flatMap((r, i) =>
    r.status !== 201 ? [`#${i}: ${r.status} ${r.error ?? ''}`.trim()] : !r.reference || !complete.has(r.reference) ? [`#${i}: 201 but ${r.reference} not complete in the table`] : []);
  const lostIndexes = results.flatMap((r, i) => (r.status !== 201 ? [i] : []));
  const retried = lostIndexes.length === 0 ? [] : (await runLoad({
    url: stack.url, concurrency: 16, timeoutMs: 60_000, requests: lostIndexes.map((i) => plan.requests[i]!),
  }, `${spec.runId}-retry`)).results.filter((r) => r.status === 201 && r.reference);
  const again = await batchGet(db, stack.tableName, retried.map((r) => keys.application(r.reference!)));
  const recovered = new Set(again.filter((a) => a.status === 'complete').map((a) => String(a.reference)));

  let overbooked = 0;
  let counterMismatches = 0;
  for (const s of sessions) {
    const confirmed = await countConfirmed(db, stack.tableName, s.id);
    overbooked += Math.max(0, confirmed - s.capacity);
    const places = await db.send(new QueryCommand({
      TableName: stack.tableName, KeyConditionExpression: 'pk = :p AND sk = :s', ExpressionAttributeValues: { ':p': `SESSION#${s.id}`, ':s': 'PLACES' }, ConsistentRead: true,
    }));
    if (Number(places.Items?.[0]?.booked ?? -1) !== confirmed) counterMismatches++;
  }

  await stack.drainStream(180_000);
  // After the drain, so the notifier's work for this rush's emails is in it too (under its own label).
  const usage = diff(meter.snapshot(), before);
  const latencies = results.filter((r) => r.status > 0).map((r) => r.ms).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    runId: spec.runId, concurrency: spec.concurrency, applications: results.length, places: spec.sessions * spec.capacity, attempts: outcomes.length,
    confirmed: outcomes.filter((o) => o === 'confirmed').length,
    waitlisted: outcomes.filter((o) => o === 'waitlisted').length,
    rejected: outcomes.filter((o) => o === 'rejected').length,
    overbooked, lost: lost.length, lostDetail: lost.slice(0, 10), recoveredByRetry: recovered.size, counterMismatches,
    transactions: usage['public-api']?.TransactWriteItems?.calls ?? 0, transactionsCancelled: usage['public-api']?.TransactWriteItems?.failed ?? 0,
    // One email per application that completed, whether its first answer reached the parent or only the retry's.
    emailsOwed: new Set([...complete, ...recovered]).size, emailsSent: await emails(stack),
    durationS: round(report.wallMs / 1000), throughputPerS: round(created.length / (report.wallMs / 1000)),
    p50Ms: round(percentile(latencies, 50)), p95Ms: round(percentile(latencies, 95)), p99Ms: round(percentile(latencies, 99)),
    usage,
  };
}

/** Confirmed booking items under the session, counted from the items themselves rather than the counter. */
async function countConfirmed(db: DynamoDBDocumentClient, table: string, sessionId: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  for (let page = 0; page < 100; page++) {
    const out = await db.send(new QueryCommand({
      TableName: table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :b)', FilterExpression: '#s = :c', ConsistentRead: true,
      ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':p': `SESSION#${sessionId}`, ':b': 'BOOKING#', ':c': 'confirmed' },
      Select: 'COUNT', ExclusiveStartKey,
    }));
    count += out.Count ?? 0;
    ExclusiveStartKey = out.LastEvaluatedKey;
    if (!ExclusiveStartKey) break;
  }
  return count;
}

/** after − before, per label and command. */
export function diff(after: MeterSnapshot, before: MeterSnapshot): MeterSnapshot {
  const out: MeterSnapshot = {};
  for (const [label, commands] of Object.entries(after)) {
    for (const [command, u] of Object.entries(commands)) {
      const b = (before[label]?.[command] ?? {}) as Partial<Usage>;
      const d = { ...u };
      for (const k of Object.keys(u) as (keyof Usage)[]) d[k] = u[k] - (b[k] ?? 0);
      if (d.calls > 0) out[label] = { ...out[label], [command]: d };
    }
  }
  return out;
}
