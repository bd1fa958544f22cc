import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApplicationsPort } from '../domain/ports.ts';
import {
  ApplicationOpening, ApplicationRecord, BookingRecord, type StoredApplication,
} from '../schemas/records.ts';
import { batchGet, conditionally } from './dynamo.ts';
import { entities, indexKeys, keys } from './keys.ts';

// Applications: first a small claim of the reference, then the whole application with each child's
// outcome, whose completion the stream turns into the confirmation email.

const processing = { ConditionExpression: '#s = :processing', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':processing': 'processing' } };

export class ApplicationStore implements ApplicationsPort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /** Claims a reference before any place is taken: a small item, so the claim costs one write unit. False if taken. */
  open(opening: ApplicationOpening): Promise<boolean> {
    return conditionally(() => this.db.send(new PutCommand({
      TableName: this.table,
      Item: {
        ...keys.application(opening.reference), entity: entities.application, status: 'processing', ...opening, updatedAt: opening.createdAt,
        ...indexKeys.ofFamily(opening.family, 'APPLICATION', opening.reference),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    })));
  }

  /**
   * Takes over an application still `processing` whose run has stopped answering (its lease has run
   * out: the function timed out or died). False if it finished, or another run holds it.
   */
  takeOver(reference: string, now: string, leaseUntil: string): Promise<boolean> {
    return conditionally(() => this.db.send(new UpdateCommand({
      TableName: this.table, Key: keys.application(reference), UpdateExpression: 'SET leaseUntil = :until',
      ConditionExpression: '#s = :processing AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
      ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':processing': 'processing', ':now': now, ':until': leaseUntil },
    })));
  }

  /** A run that stops without finishing (it holds nothing) lets a retry take over at once. */
  async releaseLease(reference: string): Promise<void> {
    await conditionally(() => this.db.send(new UpdateCommand({ TableName: this.table, Key: keys.application(reference), UpdateExpression: 'REMOVE leaseUntil', ...processing })));
  }

  /** Writes the whole application with every child's outcome. False if another run completed it first. */
  complete(app: ApplicationRecord): Promise<boolean> {
    return conditionally(() => this.db.send(new PutCommand({
      TableName: this.table, ...processing,
      Item: { ...keys.application(app.reference), entity: entities.application, ...app, ...indexKeys.ofFamily(app.family, 'APPLICATION', app.reference) },
    })));
  }

  async get(reference: string): Promise<StoredApplication | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.application(reference), ConsistentRead: true }));
    if (!out.Item) return undefined;
    return out.Item.status === 'complete' ? ApplicationRecord.parse(out.Item) : { status: 'processing', ...ApplicationOpening.parse(out.Item) };
  }

  /** The application's bookings as they stand now (a place may have been cancelled or offered since). */
  async currentBookings(app: ApplicationRecord): Promise<Map<string, BookingRecord>> {
    const ids = app.children.flatMap((c) => c.bookings.filter((b) => b.status !== 'rejected'));
    const items = await batchGet(this.db, this.table, ids.map((b) => keys.booking(b.sessionId, b.bookingId)));
    return new Map(items.map((i) => BookingRecord.parse(i)).map((b) => [b.bookingId, b]));
  }
}
