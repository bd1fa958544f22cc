import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
