import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestClaim, RequestsPort } from '../domain/ports.ts';
import { conditionally } from './dynamo.ts';
import { entities, keys } from './keys.ts';

// What a create answered under an Idempotency-Key (eligibility checks, code loads), so a retry gets the
// same answer and creates nothing new. One item per key: spread over as many partitions as there are keys.

/** A day: long past any client's retries, and the records hold no personal data (a digest, an answer of ids). */
const keepSeconds = 24 * 3600;

export class RequestStore implements RequestsPort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /**
   * Claims the key for a request: `claimed` if this run is to do it (new, or a run that died and whose
   * lease ran out); the earlier answer if it finished; `inProgress` if a live run holds it; `mismatch` if
   * the key came with another body.
   */
  async claim(recordKey: string, digest: string, now: Date, leaseMs: number): Promise<RequestClaim> {
    const Key = keys.request(recordKey);
    const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
    const fresh = await conditionally(() => this.db.send(new PutCommand({
      TableName: this.table, ConditionExpression: 'attribute_not_exists(pk)',
      Item: { ...Key, entity: entities.request, digest, state: 'inProgress', leaseUntil, expiresAtEpoch: Math.floor(now.getTime() / 1000) + keepSeconds },
    })));
    if (fresh) return { kind: 'claimed' };
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key, ConsistentRead: true }));
    if (!Item) return this.claim(recordKey, digest, now, leaseMs);
    if (Item.digest !== digest) return { kind: 'mismatch' };
    if (Item.state === 'complete') return { kind: 'answered', answer: JSON.parse(String(Item.answer)) };
    const tookOver = await conditionally(() => this.db.send(new UpdateCommand({
      TableName: this.table, Key, UpdateExpression: 'SET leaseUntil = :until',
      ConditionExpression: '#s = :inProgress AND leaseUntil < :now',
      ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':inProgress': 'inProgress', ':now': now.toISOString(), ':until': leaseUntil },
    })));
    return tookOver ? { kind: 'claimed' } : { kind: 'inProgress' };
  }

  /** Keeps the answer for retries. */
  async complete(recordKey: string, answer: unknown): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: keys.request(recordKey), UpdateExpression: 'SET #s = :complete, answer = :answer REMOVE leaseUntil',
      ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':complete': 'complete', ':answer': JSON.stringify(answer) },
    }));
  }

  /** The run failed: the key is free again, so a retry does the request afresh. */
  async release(recordKey: string): Promise<void> {
    await conditionally(() => this.db.send(new DeleteCommand({
      TableName: this.table, Key: keys.request(recordKey), ConditionExpression: '#s = :inProgress',
      ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':inProgress': 'inProgress' },
    })));
  }
}
