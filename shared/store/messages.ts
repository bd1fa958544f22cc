import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MessagesPort, SentMessage } from '../domain/ports.ts';
import { conditionally } from './dynamo.ts';
import { entities, indexKeys, keys } from './keys.ts';

// Sent-markers: an email owed by the outbox is marked once SES has taken it (or once it was withheld),
// so a redelivered stream record sends nothing new; and each address's allowance of confirmations a day.

/** Markers outlive any stream redelivery (24 hours) by far, then expire with the rest of the data. */
const markerDays = 90;

export class MessageStore implements MessagesPort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async wasSent(dedupeKey: string): Promise<boolean> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.messageSent(dedupeKey), ConsistentRead: true, ProjectionExpression: 'pk' }));
    return out.Item !== undefined;
  }

  /** False when another delivery marked it first. */
  markSent(m: SentMessage, at: Date): Promise<boolean> {
    return conditionally(() => this.db.send(new PutCommand({
      TableName: this.table,
      Item: {
        ...keys.messageSent(m.dedupeKey), entity: entities.messageSent, kind: m.kind, reference: m.reference, messageId: m.messageId,
        sentAt: at.toISOString(), expiresAtEpoch: Math.floor(at.getTime() / 1000) + markerDays * 86_400,
        ...indexKeys.messageOf(m.reference, at.toISOString(), m.dedupeKey),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    })));
  }

  /**
   * Counts a message against its address's allowance for the day; false once the day's allowance is used.
   * Keyed by the message, so a redelivered record does not count twice. The address is kept as a digest.
   */
  withinDailyAllowance(address: string, day: string, dedupeKey: string, limit: number, at: Date): Promise<boolean> {
    const digest = createHash('sha256').update(`mail|${address.trim().toLowerCase()}`).digest('base64url').slice(0, 32);
    return conditionally(() => this.db.send(new UpdateCommand({
      TableName: this.table, Key: keys.mailAllowance(digest, day),
      UpdateExpression: 'ADD messages :m SET entity = :e, expiresAtEpoch = :expires',
      ConditionExpression: 'attribute_not_exists(messages) OR size(messages) < :limit OR contains(messages, :k)',
      ExpressionAttributeValues: {
        ':m': new Set([dedupeKey]), ':k': dedupeKey, ':limit': limit, ':e': entities.mailAllowance,
        ':expires': Math.floor(at.getTime() / 1000) + 2 * 86_400,
      },
    })));
  }
}
