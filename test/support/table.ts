import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { requestDigestWith } from '../../shared/secrets/request-digest.ts';
import { createTableInput } from '../../shared/store/table.ts';
import { storesFor, type Deps } from '../../shared/wiring.ts';

/** A fresh table in the shared DynamoDB Local, from the same definition CDK deploys. */
export async function freshTable() {
  const endpoint = inject('dynamoEndpoint');
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const tableName = `test-${randomUUID().slice(0, 8)}`;
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint, tableName, db,
    drop: async () => { await client.send(new DeleteTableCommand({ TableName: tableName })); client.destroy(); },
  };
}

/**
 * The dependencies a function wires, on a fresh test table. The clock starts at 23 November 2026
 * 10:00 and ticks a millisecond per reading, so arrivals have an order as they do in real time.
 */
/** The request digest secret of this test process, as each container has its own read of the one secret. */
const digestSecret = randomBytes(32).toString('base64url');

export function depsFor(t: { db: DynamoDBDocumentClient; tableName: string }, overrides: Partial<Deps> = {}): Deps {
  let tick = 0;
  const start = Date.parse('2026-11-23T10:00:00Z');
  return {
    ...storesFor(t.db, t.tableName), now: () => new Date(start + tick++), newId: randomUUID, requestDigest: requestDigestWith(async () => digestSecret),
    ...overrides,
  };
}
