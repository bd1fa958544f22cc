import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

// The request-unit meter behind `npm run bench`: every call a metered client makes asks for
// ReturnConsumedCapacity TOTAL, and the units are counted per function and command, so a change in data
// access shows as a number. The bench meters every DynamoDB client (cost.ts); no function carries this.

export interface Usage {
  calls: number;
  /** Calls that threw: DynamoDB sends no ConsumedCapacity with an error, so their units are computed. */
  failed: number;
  rru: number;
  wru: number;
  /** The part of `wru` computed from the published rules rather than reported by DynamoDB. */
  computedWru: number;
  /** The part of `computedWru` charged to failed calls (an upper bound: AWS may not bill a cancelled transaction). */
  failedWru: number;
  /** What DynamoDB (Local) reported for the calls whose units we compute instead, for comparison. */
  reportedWruReplaced: number;
}

/** label (the function, e.g. `public-api`, or `bench`) → command (e.g. `TransactWriteItems`) → usage. */
export type MeterSnapshot = Record<string, Record<string, Usage>>;

const reads = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const writes = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const counts: MeterSnapshot = {};
const metered = new WeakSet<object>();

export const meter = {
  snapshot: (): MeterSnapshot => structuredClone(counts),
  reset: () => { for (const k of Object.keys(counts)) delete counts[k]; },
};

/**
 * Adds the meter to a client (a document client shares its client's middleware stack, so either will do,
 * once); the label is the function whose code made the first call (read off the call stack).
 */
export function meterClient(client: Pick<DynamoDBClient, 'middlewareStack'>, label = callerLabel()): void {
  if (metered.has(client.middlewareStack)) return;
  metered.add(client.middlewareStack);
  client.middlewareStack.add((next, context) => async (args) => {
    const command = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
    const byCommand = counts[label] ?? {};
    counts[label] = byCommand;
    const usage = byCommand[command] ?? { calls: 0, failed: 0, rru: 0, wru: 0, computedWru: 0, failedWru: 0, reportedWruReplaced: 0 };
    byCommand[command] = usage;
    usage.calls++;
    const input = args.input as Record<string, unknown>;
    const asks = reads.has(command) || writes.has(command);
    try {
      const out = await next(asks ? { ...args, input: { ...input, ReturnConsumedCapacity: input.ReturnConsumedCapacity ?? 'TOTAL' } } : args);
      const reported = [((out.output ?? {}) as { ConsumedCapacity?: unknown }).ConsumedCapacity ?? []].flat()
        .reduce((sum: number, c) => sum + Number((c as { CapacityUnits?: number }).CapacityUnits ?? 0), 0);
      // DynamoDB Local rounds a transaction's items together, not each item up to 1 KB as AWS bills: use the rule.
      if (command === 'TransactWriteItems') {
        const wru = transactWriteUnits(input);
        Object.assign(usage, { wru: usage.wru + wru, computedWru: usage.computedWru + wru, reportedWruReplaced: usage.reportedWruReplaced + reported });
      } else if (reads.has(command)) usage.rru += reported;
      else if (writes.has(command)) usage.wru += reported;
      return out;
    } catch (error) {
      usage.failed++;
      // A cancelled transaction is counted as if every item were prepared; a failed conditional write costs 1 WRU.
      const wru = command === 'TransactWriteItems' ? transactWriteUnits(input) : writes.has(command) ? 1 : 0;
      usage.wru += wru;
      usage.computedWru += wru;
      usage.failedWru += wru;
      throw error;
    }
  }, { step: 'initialize', name: 'capacityMeter' });
}

/** 2 WRU per 1 KB (rounded up per item) for each item of a transaction; an Update, Delete or check is taken as ≤ 1 KB. */
function transactWriteUnits(input: Record<string, unknown>): number {
  const items = (input.TransactItems ?? []) as Record<string, { Item?: unknown }>[];
  return items.reduce((sum, action) => {
    const put = action.Put?.Item;
    return sum + 2 * Math.max(1, Math.ceil((put ? itemBytes(put) : 0) / 1024));
  }, 0);
}

/** DynamoDB's item size, near enough: names and values in UTF-8, numbers ~21 bytes at most, 3 bytes per container. */
export function itemBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'number' || typeof value === 'bigint') return 21;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set || Array.isArray(value)) return 3 + [...value].reduce((s: number, v) => s + 1 + itemBytes(v), 0);
  return 3 + Object.entries(value as object).reduce((s, [k, v]) => s + 1 + Buffer.byteLength(k) + itemBytes(v), 0);
}

function callerLabel(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return /functions\/([\w-]+)\//.exec(stack)?.[1] ?? (/test\/bench\//.test(stack) ? 'bench' : 'other');
}
