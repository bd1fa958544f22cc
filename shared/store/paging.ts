import { CursorRefused } from '../domain/errors.ts';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { indexes, primaryKey, type IndexName } from './table.ts';

// Opaque cursors: the last returned item's keys, base64url-encoded. Decoding checks they
// belong to the same query, so a crafted cursor cannot walk into another partition.

type Key = Record<string, string>;

const invalidCursor = () => new CursorRefused('not a cursor for this list');

const keyAttributes = (index?: IndexName): string[] =>
  index ? [primaryKey.partition, primaryKey.sort, indexes[index].partition, indexes[index].sort] : [primaryKey.partition, primaryKey.sort];

export function encodeCursor(item: Record<string, unknown>, index?: IndexName): string {
  const key = Object.fromEntries(keyAttributes(index).map((a) => [a, item[a]]));
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, partitionValue: string, index?: IndexName): Key | undefined {
  if (cursor === undefined) return undefined;
  const bad = invalidCursor();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  const attrs = keyAttributes(index);
  const partitionAttr = index ? indexes[index].partition : primaryKey.partition;
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw bad;
  const entries = Object.entries(key);
  const wellFormed = entries.length === attrs.length
    && entries.every(([k, v]) => attrs.includes(k) && typeof v === 'string' && v.length > 0 && v.length <= 512);
  if (!wellFormed || (key as Key)[partitionAttr] !== partitionValue) throw bad;
  return key as Key;
}

/**
 * One page of a Query with a filter: reads on until `limit` items pass the filter (at most
 * `maxReads` requests, so a sparse filter costs bounded reads), and the cursor points just
 * after the last item returned rather than wherever DynamoDB stopped.
 */
export async function queryPage<T extends Record<string, unknown> = Record<string, unknown>>(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  opts: { limit: number; cursor?: string; partitionValue: string; index?: IndexName; maxReads?: number },
): Promise<{ items: T[]; nextCursor?: string }> {
  let startKey: Key | undefined = decodeCursor(opts.cursor, opts.partitionValue, opts.index);
  const items: T[] = [];
  for (let reads = 0; reads < (opts.maxReads ?? 5); reads++) {
    const out = await db.send(new QueryCommand({
      ...input, IndexName: opts.index, ExclusiveStartKey: startKey, Limit: opts.limit - items.length + 1,
    })).catch((e) => {
      // A cursor from another day or filter can name a key outside this query's range.
      if (opts.cursor && (e as Error).name === 'ValidationException') throw invalidCursor();
      throw e;
    });
    items.push(...((out.Items ?? []) as T[]));
    startKey = out.LastEvaluatedKey as Key | undefined;
    if (items.length > opts.limit || !startKey) break;
  }
  // One item more than asked tells us whether there is a next page without an empty last page.
  if (items.length > opts.limit) {
    const page = items.slice(0, opts.limit);
    return { items: page, nextCursor: encodeCursor(page[page.length - 1]!, opts.index) };
  }
  return { items, nextCursor: startKey ? encodeCursor(items[items.length - 1] ?? startKey, opts.index) : undefined };
}
