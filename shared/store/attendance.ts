import * as z from 'zod/mini';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AttendancePort, BookedChild, RegisterSubmission } from '../domain/ports.ts';
import { BookingRecord, RegisterPart, SessionRecord } from '../schemas/records.ts';
import { failedConditions, queryAll, withConflictRetry } from './dynamo.ts';
import { entities, keys, partitions, prefixes } from './keys.ts';
import { queryPage } from './paging.ts';
import { built, lazily } from '../schemas/lazily.ts';

// A provider's sessions, the attendance list and the register. Key layout: docs/data-model.md.

/** TransactWriteItems takes 100 items: this many bookings, the audit item, the session's Places item and the programme's closure check. */
const bookingsPerPart = 97;

export interface ProviderSessionFilter { programmeId?: string; date?: string; limit: number; cursor?: string }

/** How a register failed: the session is gone, or these records (by index) no longer name a confirmed booking. */
export type RegisterOutcome = { saved: true } | { saved: false; sessionMissing: true } | { saved: false; closed: true } | { saved: false; notConfirmed: number[] };

export class AttendanceStore implements AttendancePort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /** The provider's own sessions: one Query on GSI3, narrowed by programme (and date) in the key where it can be. */
  async sessionsOf(providerId: string, q: ProviderSessionFilter): Promise<{ items: SessionRecord[]; nextCursor?: string }> {
    const partition = partitions.sessionsOfProvider(providerId);
    const prefix = q.programmeId ? prefixes.providerSessionsIn(q.programmeId, q.date) : undefined;
    const byDate = q.date !== undefined && !q.programmeId;
    const page = await queryPage(this.db, {
      TableName: this.table,
      KeyConditionExpression: `gsi3pk = :p${prefix ? ' AND begins_with(gsi3sk, :prefix)' : ''}`,
      FilterExpression: byDate ? '#date = :date' : undefined,
      ExpressionAttributeNames: byDate ? { '#date': 'date' } : undefined,
      ExpressionAttributeValues: { ':p': partition, ...(prefix ? { ':prefix': prefix } : {}), ...(byDate ? { ':date': q.date } : {}) },
    }, { limit: q.limit, cursor: q.cursor, partitionValue: partition, index: 'GSI3' });
    return { items: page.items.map((i) => SessionRecord.parse(i)), nextCursor: page.nextCursor };
  }

  /**
   * The children with a confirmed place on a session: one Query on the session's partition
   * (bookings only, the rest filtered out), read consistently so a register just sent shows.
   */
  async confirmedBookings(sessionId: string): Promise<BookedChild[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, ConsistentRead: true,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :b)',
      FilterExpression: '#status = :confirmed',
      ProjectionExpression: '#bookingId, #reference, #child, #parentPhone, #present, #absenceReason',
      ExpressionAttributeNames: {
        '#status': 'status', '#bookingId': 'bookingId', '#reference': 'reference', '#child': 'child',
        '#parentPhone': 'parentPhone', '#present': 'present', '#absenceReason': 'absenceReason',
      },
      ExpressionAttributeValues: { ':p': partitions.session(sessionId), ':b': prefixes.booking, ':confirmed': 'confirmed' },
    });
    return items.map((i) => BookedChildItem.parse(i));
  }

  /** Every booking of a session, whatever its status (finance's recount, which reads from source). */
  async sessionBookings(sessionId: string): Promise<BookingRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, ConsistentRead: true, KeyConditionExpression: 'pk = :p AND begins_with(sk, :b)',
      ExpressionAttributeValues: { ':p': partitions.session(sessionId), ':b': prefixes.booking },
    });
    return items.map((i) => BookingRecord.parse(i));
  }

  /** Every register sent for a session, oldest first: what was claimed, by whom and when (for finance). */
  async registerSubmissions(sessionId: string): Promise<RegisterPart[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
      ExpressionAttributeValues: { ':p': partitions.session(sessionId), ':r': prefixes.register },
    });
    return items.map((i) => RegisterPart.parse(i));
  }

  /**
   * Saves a register in parts of up to 97 records. Each part is one transaction: every booking
   * must still be confirmed, and the marks, the audit item and the session's `registerSentAt`
   * are written together or not at all. A part that fails stops the rest; earlier parts stay,
   * which is safe because sending the register again replaces it.
   */
  async saveRegister(r: RegisterSubmission): Promise<RegisterOutcome> {
    const parts = Math.ceil(r.records.length / bookingsPerPart);
    for (let part = 0; part < parts; part++) {
      const offset = part * bookingsPerPart;
      const records = r.records.slice(offset, offset + bookingsPerPart);
      try {
        await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
          ...records.map((rec) => ({ Update: {
            TableName: this.table, Key: keys.booking(r.sessionId, rec.bookingId),
            // A reason is kept with an absence only; marking the child again clears an old one.
            UpdateExpression: `SET present = :present, presentRecordedAt = :at, presentRecordedBy = :by${rec.absenceReason ? ', absenceReason = :why' : ''} ADD rev :one${rec.absenceReason ? '' : ' REMOVE absenceReason'}`,
            ConditionExpression: '#s = :confirmed', ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':present': rec.present, ':at': r.sentAt, ':by': r.sentBy.clientId, ':confirmed': 'confirmed', ':one': 1,
              ...(rec.absenceReason ? { ':why': rec.absenceReason } : {}),
            },
          } })),
          { Put: {
            TableName: this.table, ConditionExpression: 'attribute_not_exists(pk)',
            Item: {
              ...keys.registerPart(r.sessionId, r.sentAt, r.submissionId, part + 1), entity: entities.registerSubmission,
              sessionId: r.sessionId, submissionId: r.submissionId, part: part + 1, parts, sentAt: r.sentAt, sentBy: r.sentBy,
              // Whether an absence was explained, not the reason: this audit item outlives the personal data.
              records: records.map(({ bookingId, present, absenceReason }) => ({ bookingId, present, ...(absenceReason ? { explained: true } : {}) })),
            },
          } },
          { Update: {
            TableName: this.table, Key: keys.places(r.sessionId), UpdateExpression: 'SET registerSentAt = :at',
            ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':at': r.sentAt },
          } },
          // Finance may have closed the programme's figures since the caller looked.
          { ConditionCheck: {
            TableName: this.table, Key: keys.closure(r.programmeId), ConditionExpression: 'attribute_not_exists(pk) OR #state <> :closed',
            ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: { ':closed': 'closed' },
          } },
        ] })));
      } catch (e) {
        const failed = failedConditions(e);
        if (!failed) throw e;
        if (failed.has(records.length + 1)) return { saved: false, sessionMissing: true };
        if (failed.has(records.length + 2)) return { saved: false, closed: true };
        // A booking cancelled between the caller's check and this write.
        return { saved: false, notConfirmed: [...failed].filter((i) => i < records.length).map((i) => offset + i) };
      }
    }
    return { saved: true };
  }
}

/** The projection of a confirmed booking that an attendance list reads. */
const BookedChildItem = lazily(() => z.pick(built(BookingRecord), { bookingId: true, reference: true, child: true, parentPhone: true, present: true, absenceReason: true }));
