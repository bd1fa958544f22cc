import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EligibilityClaim, FamilyHoldings, PrivacyPort, SentRecord } from '../domain/ports.ts';
import {
  ApplicationOpening, ApplicationRecord, ErasureRecord, ReferralRecord, type BookingRecord, type StoredApplication,
} from '../schemas/records.ts';
import { batchGet, conditionally, failedConditions, queryAll, withConflictRetry } from './dynamo.ts';
import { entities, keys, partitions, prefixes } from './keys.ts';

// Subject access and erasure (docs/decisions/011): a family's items are found through its GSI5 entries
// (`FAMILY#<digest of the email>`, keys only) and its applications' claims, never a Scan; erasing deletes them, giving up places in the same write.

type Item = Record<string, unknown>;
const statusName = { '#s': 'status' };

const applicationOf = (i: Item): StoredApplication =>
  (i.status === 'complete' ? ApplicationRecord.parse(i) : { status: 'processing', ...ApplicationOpening.parse(i) });

const claimOf = (i: Item): EligibilityClaim => {
  const base = {
    outcome: String(i.outcome ?? ''),
    ...(typeof i.claimedByReference === 'string' ? { claimedByReference: i.claimedByReference } : {}),
    ...(typeof i.claimedAt === 'string' ? { claimedAt: i.claimedAt } : {}),
  };
  return i.entity === entities.eligibilityCheck
    ? { kind: 'check', id: String(i.checkId), ...base }
    : { kind: 'code', id: String(i.code), programmeId: String(i.programmeId), ...base };
};

export class PrivacyStore implements PrivacyPort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async holdings(family: string): Promise<FamilyHoldings> {
    const entries = await queryAll(this.db, {
      TableName: this.table, IndexName: 'GSI5', KeyConditionExpression: 'gsi5pk = :p', ExpressionAttributeValues: { ':p': partitions.family(family) },
    });
    const held: FamilyHoldings = { applications: [], referrals: [], claims: [] };
    for (const i of await batchGet(this.db, this.table, entries.map((e) => ({ pk: String(e.pk), sk: String(e.sk) })))) {
      if (i.entity === entities.application) held.applications.push(applicationOf(i));
      else if (i.entity === entities.referral) held.referrals.push(ReferralRecord.parse(i));
    }
    // A claim is found through the application that made it; one given back, or claimed first by another family, is not the family's.
    const claimed = held.applications.flatMap((a) => (a.claim ? [a.claim] : []));
    const claims = await batchGet(this.db, this.table, claimed.map(keys.claim));
    held.claims = claims.filter((i) => i.claimedBy === family).map(claimOf);
    return held;
  }

  async messagesAbout(reference: string): Promise<SentRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, IndexName: 'GSI4', KeyConditionExpression: 'gsi4pk = :p', ExpressionAttributeValues: { ':p': partitions.messagesOf(reference) },
    });
    return items.map((i) => ({ kind: String(i.kind), reference: String(i.reference), sentAt: String(i.sentAt), withheld: i.messageId === 'withheld' }));
  }

  async erasures(family: string): Promise<ErasureRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, ConsistentRead: true, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': partitions.erasures(family), ':s': prefixes.erasure },
    });
    return items.map((i) => ErasureRecord.parse(i));
  }

  async recordErasure(r: ErasureRecord): Promise<void> {
    await this.db.send(new PutCommand({
      TableName: this.table, Item: { ...keys.erasure(r.emailDigest, r.erasedAt, r.erasureId), entity: entities.erasure, ...r },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  }

  deleteBooking(b: BookingRecord): Promise<boolean> {
    return conditionally(() => this.db.send(new DeleteCommand({
      TableName: this.table, Key: keys.booking(b.sessionId, b.bookingId),
      ConditionExpression: '#s = :read', ExpressionAttributeNames: statusName, ExpressionAttributeValues: { ':read': b.status },
    })));
  }

  deleteChildDays(c: { childKey: string; programmeId: string; family: string }): Promise<boolean> {
    return this.deleted(keys.childDays(c));
  }

  deleteRelease(releaseId: string): Promise<boolean> {
    return this.deleted(keys.release(releaseId));
  }

  deleteApplication(reference: string): Promise<boolean> {
    return this.deleted(keys.application(reference));
  }

  anonymiseClaim(c: EligibilityClaim, family: string, erasureId: string): Promise<boolean> {
    const Key = keys.claim(c);
    return conditionally(() => this.db.send(new UpdateCommand({
      TableName: this.table, Key,
      // Still claimed, by nobody: a code once used is not free for another family.
      UpdateExpression: 'SET claimedBy = :erased REMOVE surnameDigest',
      ConditionExpression: 'claimedBy = :f', ExpressionAttributeValues: { ':f': family, ':erased': `erased#${erasureId}` },
    })));
  }

  async eraseReferral(r: ReferralRecord): Promise<'erased' | 'changed'> {
    const gone = { Delete: {
      TableName: this.table, Key: keys.referral(r.reference),
      ConditionExpression: '#s = :read', ExpressionAttributeNames: statusName, ExpressionAttributeValues: { ':read': r.status },
    } };
    const holdsFamilyPlace = r.scheme === 'ACTIVE_FAMILIES' && (r.status === 'accepted' || r.status === 'started') && r.providerId;
    const others: Item[] = [];
    if (holdsFamilyPlace) {
      others.push({ Update: {
        TableName: this.table, Key: keys.room(r.programmeId, r.providerId!), UpdateExpression: 'SET taken = taken - :one',
        ConditionExpression: 'taken > :zero', ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
      } });
    }
    if (r.status === 'waitlisted' && r.waitingSince) {
      const entry = { programmeId: r.programmeId, district: r.district, arrivedAt: r.waitingSince, reference: r.reference };
      others.push(
        { Delete: { TableName: this.table, Key: keys.waitingEntry(entry) } },
        { Update: {
          TableName: this.table, Key: keys.queue(r.programmeId, r.district), UpdateExpression: 'SET waiting = waiting - :one',
          ConditionExpression: 'waiting > :zero', ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
        } },
      );
    }
    // The card goes with its young person; the room keeps it counted (cards issued stay issued).
    if (r.scheme === 'YOUTH_CARD' && r.card) others.push({ Delete: { TableName: this.table, Key: keys.youthCard(r.card.number) } });
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [gone, ...others] as never })));
      return 'erased';
    } catch (e) {
      if (failedConditions(e)?.has(0)) return 'changed';
      throw e;
    }
  }

  /** True if this call deleted it. */
  private deleted(Key: { pk: string; sk: string }): Promise<boolean> {
    return conditionally(() => this.db.send(new DeleteCommand({ TableName: this.table, Key, ConditionExpression: 'attribute_exists(pk)' })));
  }
}
