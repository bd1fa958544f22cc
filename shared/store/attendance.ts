import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BookedChild } from '../domain/attendance.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import type { RegisterRecord } from '../schemas/provider.ts';
import { bookingKey } from './bookings.ts';
import { placesKey, providerSessionsPartition, strip, type SessionRecord } from './catalogue.ts';
import { queryPage } from './paging.ts';
import { cancelledAt, withConflictRetry } from './transactions.ts';

// A provider's sessions, the attendance list and the register. Key layout: docs/data-model.md.

type Item = Record<string, unknown>;

/** One audit item per part of a register: who sent what, when. Sorts by the time it was sent. */
const registerKey = (sessionId: string, sentAt: string, submissionId: string, part: number) =>
  ({ pk: `SESSION#${sessionId}`, sk: `REGISTER#${sentAt}#${submissionId}#${String(part).padStart(2, '0')}` });

/** TransactWriteItems takes 100 items: this many bookings, the audit item and the session's Places item. */
const bookingsPerPart = 98;

export interface RegisterSubmission {
  sessionId: string;
  submissionId: string;
  sentAt: string;
  sentBy: { providerId: string; clientId: string };
  records: readonly RegisterRecord[];
}

/** One saved part of a register, as finance reads it back. */
export interface RegisterPart extends RegisterSubmission { part: number; parts: number }

export interface ProviderSessionFilter { programmeId?: string; date?: string; limit: number; cursor?: string }

export class AttendanceStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /** The provider's own sessions: one Query on GSI3, narrowed by programme (and date) in the key where it can be. */
  async sessionsOf(providerId: string, q: ProviderSessionFilter): Promise<{ items: SessionRecord[]; nextCursor?: string }> {
    const partition = providerSessionsPartition(providerId);
    const prefix = q.programmeId ? `${q.programmeId}#${q.date ?? ''}` : undefined;
    const byDate = q.date !== undefined && !q.programmeId;
    const page = await queryPage<Item>(this.db, {
      TableName: this.table,
      KeyConditionExpression: `gsi3pk = :p${prefix ? ' AND begins_with(gsi3sk, :prefix)' : ''}`,
      FilterExpression: byDate ? '#date = :date' : undefined,
      ExpressionAttributeNames: byDate ? { '#date': 'date' } : undefined,
      ExpressionAttributeValues: { ':p': partition, ...(prefix ? { ':prefix': prefix } : {}), ...(byDate ? { ':date': q.date } : {}) },
    }, { limit: q.limit, cursor: q.cursor, partitionValue: partition, index: 'GSI3' });
    return { items: page.items.map((i) => strip<SessionRecord>(i)!), nextCursor: page.nextCursor };
  }

  /**
   * The children with a confirmed place on a session: one Query on the session's partition
   * (bookings only, the rest filtered out), read consistently so a register just sent shows.
   */
  async confirmedBookings(sessionId: string): Promise<BookedChild[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      // Pages only past DynamoDB's 1 MB per response, far more than a session's bookings.
      const out = await this.db.send(new QueryCommand({
        TableName: this.table, ConsistentRead: true, ExclusiveStartKey,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :b)',
        FilterExpression: '#status = :confirmed',
        ProjectionExpression: '#bookingId, #reference, #child, #parentPhone, #present',
        ExpressionAttributeNames: {
          '#status': 'status', '#bookingId': 'bookingId', '#reference': 'reference', '#child': 'child',
          '#parentPhone': 'parentPhone', '#present': 'present',
        },
        ExpressionAttributeValues: { ':p': `SESSION#${sessionId}`, ':b': 'BOOKING#', ':confirmed': 'confirmed' },
      }));
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items as unknown as BookedChild[];
  }

  /** Every register sent for a session, oldest first: what was claimed, by whom and when (for finance). */
  async registerSubmissions(sessionId: string): Promise<RegisterPart[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const out = await this.db.send(new QueryCommand({
        TableName: this.table, ExclusiveStartKey, KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
        ExpressionAttributeValues: { ':p': `SESSION#${sessionId}`, ':r': 'REGISTER#' },
      }));
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.map(({ pk, sk, entity, ...rest }) => rest as unknown as RegisterPart);
  }

  /**
   * Saves a register in parts of up to 98 records. Each part is one transaction: every booking
   * must still be confirmed, and the marks, the audit item and the session's `registerSentAt`
   * are written together or not at all. A part that fails stops the rest; earlier parts stay,
   * which is safe because sending the register again replaces it.
   */
  async saveRegister(r: RegisterSubmission): Promise<void> {
    const parts = Math.ceil(r.records.length / bookingsPerPart);
    for (let part = 0; part < parts; part++) {
      const offset = part * bookingsPerPart;
      const records = r.records.slice(offset, offset + bookingsPerPart);
      try {
        await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
          ...records.map((rec) => ({ Update: {
            TableName: this.table, Key: bookingKey(r.sessionId, rec.bookingId),
            UpdateExpression: 'SET present = :present, presentRecordedAt = :at, presentRecordedBy = :by',
            ConditionExpression: '#s = :confirmed', ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':present': rec.present, ':at': r.sentAt, ':by': r.sentBy.clientId, ':confirmed': 'confirmed' },
          } })),
          { Put: {
            TableName: this.table, ConditionExpression: 'attribute_not_exists(pk)',
            Item: {
              ...registerKey(r.sessionId, r.sentAt, r.submissionId, part + 1), entity: 'RegisterSubmission',
              sessionId: r.sessionId, submissionId: r.submissionId, part: part + 1, parts, sentAt: r.sentAt, sentBy: r.sentBy,
              records: records.map(({ bookingId, present }) => ({ bookingId, present })),
            },
          } },
          { Update: {
            TableName: this.table, Key: placesKey(r.sessionId), UpdateExpression: 'SET registerSentAt = :at',
            ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':at': r.sentAt },
          } },
        ] })));
      } catch (e) {
        const failed = cancelledAt(e);
        if (!failed) throw e;
        if (failed.has(records.length + 1)) throw notFound('This session');
        // A booking cancelled between the check and this write: name it, as the check would have.
        throw new DomainError('invalid', 'Some bookings are no longer confirmed places on this session; send the register again without them.',
          [...failed].filter((i) => i < records.length).map((i) => ({
            path: `records.${offset + i}.bookingId`, message: 'is not a confirmed booking on this session',
          })));
      }
    }
  }
}
