// Helpers for TransactWriteItems: which condition failed, and retrying DynamoDB's
// TransactionConflict (two transactions touching one item at once), which says nothing about our conditions.

type Cancelled = { name?: string; CancellationReasons?: { Code?: string }[] };

/** Indexes of the items whose condition failed, or undefined if this was not a condition failure. */
export function cancelledAt(e: unknown): Set<number> | undefined {
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
