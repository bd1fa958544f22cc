import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Sent-markers: an email owed by the outbox is marked once SES has taken it, so a redelivered
// stream record sends nothing new.

/** Markers outlive any stream redelivery (24 hours) by far, then expire with the rest of the data. */
const markerDays = 90;
const markerKey = (dedupeKey: string) => ({ pk: `MESSAGE#${dedupeKey}`, sk: 'MESSAGE' });

export interface SentMessage { dedupeKey: string; kind: string; reference: string; messageId: string }

export class MessageStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async wasSent(dedupeKey: string): Promise<boolean> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: markerKey(dedupeKey), ConsistentRead: true, ProjectionExpression: 'pk' }));
    return out.Item !== undefined;
  }

  /**
   * Counts a message against its address's allowance for the day; false once the day's allowance is used.
   * Keyed by the message, so a redelivered record does not count twice. The address is kept as a digest.
   */
  async withinDailyAllowance(address: string, day: string, dedupeKey: string, limit: number, at: Date): Promise<boolean> {
    const digest = createHash('sha256').update(`mail|${address.trim().toLowerCase()}`).digest('base64url').slice(0, 32);
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.table, Key: { pk: `MAILALLOWANCE#${digest}`, sk: day },
        UpdateExpression: 'ADD messages :m SET entity = :e, expiresAtEpoch = :expires',
        ConditionExpression: 'attribute_not_exists(messages) OR size(messages) < :limit OR contains(messages, :k)',
        ExpressionAttributeValues: {
          ':m': new Set([dedupeKey]), ':k': dedupeKey, ':limit': limit, ':e': 'MailAllowance',
          ':expires': Math.floor(at.getTime() / 1000) + 2 * 86_400,
        },
      }));
      return true;
    } catch (error) {
      if ((error as Error)?.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** False when another delivery marked it first. */
  async markSent(m: SentMessage, at: Date): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.table,
        Item: {
          ...markerKey(m.dedupeKey), entity: 'MessageSent', kind: m.kind, reference: m.reference, messageId: m.messageId,
          sentAt: at.toISOString(), expiresAtEpoch: Math.floor(at.getTime() / 1000) + markerDays * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
      return true;
    } catch (error) {
      if ((error as Error)?.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
