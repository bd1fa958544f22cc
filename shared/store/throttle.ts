import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ThrottlePort, Window } from '../domain/ports.ts';
import { conditionally } from './dynamo.ts';
import { entities, keys } from './keys.ts';

// Per-client counters in fixed windows (code guesses from one address in 15 minutes, say). The client is
// a digest of its address, never the address itself, and each window's item expires soon after it ends.

export class ThrottleStore implements ThrottlePort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /** How many were counted in the window so far. */
  async count(bucket: string, client: string, window: Window): Promise<number> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.throttle(bucket, client, window.start), ProjectionExpression: 'hits' }));
    return Number(out.Item?.hits ?? 0);
  }

  /** Counts one more; false (and nothing counted) once the window holds `limit`. */
  take(bucket: string, client: string, window: Window, limit: number): Promise<boolean> {
    return conditionally(() => this.db.send(new UpdateCommand({
      TableName: this.table, Key: keys.throttle(bucket, client, window.start),
      UpdateExpression: 'ADD hits :one SET entity = :e, expiresAtEpoch = :expires',
      ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
      ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':e': entities.throttle, ':expires': window.end + 3600 },
    })));
  }
}
