import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

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
