import {
  BatchGetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Key } from './keys.ts';

// The few ways every store talks to DynamoDB: a write whose condition may fail, every page of a Query,
// BatchGetItem with retries, and reading which item of a cancelled transaction failed.

type Item = Record<string, unknown>;

/** Runs a conditional write: true if it was made, false if its condition did not hold. Other errors pass. */
export async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (e) {
    if ((e as Error)?.name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}

/** Every item a Query matches, page after page (for lists bounded by nature: a session's bookings, a programme's agreements). */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** BatchGetItem in slices of 100, retrying unprocessed keys (DynamoDB returns some under load). */
export async function batchGet(db: DynamoDBDocumentClient, table: string, keys: readonly Key[]): Promise<Item[]> {
  const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const found: Item[] = [];
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Item[] = unique.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      if (attempt > 6) throw Object.assign(new Error('BatchGet left keys unprocessed'), { name: 'ThrottlingException' });
      const out = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      found.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return found;
}

type Cancelled = { name?: string; CancellationReasons?: { Code?: string }[] };

/**
 * The items of a cancelled transaction whose condition failed, by index; undefined when the error is not a
 * condition failure (including DynamoDB's TransactionConflict, which says nothing about our conditions).
 */
export function failedConditions(e: unknown): Set<number> | undefined {
  const err = e as Cancelled;
  if (err?.name !== 'TransactionCanceledException') return undefined;
  const reasons = err.CancellationReasons ?? [];
  if (reasons.some((r) => r.Code === 'TransactionConflict')) return undefined;
  const failed = new Set(reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : [])));
  return failed.size > 0 ? failed : undefined;
}

const isConflict = (e: unknown) => {
  const err = e as Cancelled;
  return (err?.name === 'TransactionCanceledException' && (err.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict'))
    || err?.name === 'TransactionConflictException';
};

/** Retries a transaction that lost a race for an item, with jittered backoff (a hot session at opening time). */
export async function withConflictRetry<T>(run: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!isConflict(e) || attempt >= attempts) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(500, 10 * 2 ** attempt)));
    }
  }
}

/** A transaction whose condition failures are answered by index: the first handler whose item failed decides. */
export async function transact<T>(
  run: () => Promise<unknown>, onFailed: (failed: Set<number>) => T | Promise<T>,
): Promise<T | undefined> {
  try {
    await withConflictRetry(run);
    return undefined;
  } catch (e) {
    const failed = failedConditions(e);
    if (!failed) throw e;
    return onFailed(failed);
  }
}
