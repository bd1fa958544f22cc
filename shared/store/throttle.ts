import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Per-client counters in fixed windows (e.g. code guesses from one address in 15 minutes). The client is
// a digest of its address, never the address itself, and each window's item expires soon after it ends.

const throttleKey = (bucket: string, client: string, windowStart: number) => ({ pk: `THROTTLE#${bucket}#${client}`, sk: String(windowStart) });

export interface Window { start: number; endsInSeconds: number }

export const windowAt = (now: Date, windowSeconds: number): Window => {
  const seconds = Math.floor(now.getTime() / 1000);
  const start = seconds - (seconds % windowSeconds);
  return { start, endsInSeconds: start + windowSeconds - seconds };
};

export class ThrottleStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /** How many were counted in the window so far. */
  async count(bucket: string, client: string, window: Window): Promise<number> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: throttleKey(bucket, client, window.start), ProjectionExpression: 'hits' }));
    return Number(out.Item?.hits ?? 0);
  }

  /** Counts one more; false (and nothing counted) once the window holds `limit`. */
  async take(bucket: string, client: string, window: Window, limit: number): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.table, Key: throttleKey(bucket, client, window.start),
        UpdateExpression: 'ADD hits :one SET entity = :e, expiresAtEpoch = :expires',
        ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':e': 'Throttle', ':expires': window.start + window.endsInSeconds + 3600 },
      }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }
}
