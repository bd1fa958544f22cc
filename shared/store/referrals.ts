import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { familyKey } from '../domain/people.ts';
import type { Assignment, AssignOutcome, ReferralsPort } from '../domain/ports.ts';
import type { Room } from '../domain/referrals.ts';
import { ProviderRecord, ReferralRecord, RoomRecord, WaitingEntry, type ReferralStatus } from '../schemas/records.ts';
import { batchGet, conditionally, failedConditions, queryAll, withConflictRetry } from './dynamo.ts';
import { entities, indexKeys, keys, partitions, prefixes } from './keys.ts';
import { queryPage } from './paging.ts';

// Referrals and the places they are given. A provider's room under its agreement (`capacity`, `taken`), each
// district's queue (`waiting`) and its entries live in the programme's partition; a place is one transaction
// over the room, the referral and the queues, so no read-then-write race can give a provider more families
// (or cards) than its agreement, however many referrals arrive at once (docs/data-model.md).

type Item = Record<string, unknown>;
const statusName = { '#s': 'status' };

/** The family a referral is about, by the email it gave (the parent's, or the young person's if any), for subject access and erasure. */
const familyIndex = (r: ReferralRecord) => {
  const email = r.scheme === 'ACTIVE_FAMILIES' ? r.family.parent.email : r.youngPerson.email;
  return email ? indexKeys.ofFamily(familyKey(email), 'REFERRAL', r.reference) : {};
};

export class ReferralStore implements ReferralsPort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /** A new referral; false if its reference is taken (a retry under the same Idempotency-Key, or a clash). */
  create(r: ReferralRecord): Promise<boolean> {
    return conditionally(() => this.db.send(new PutCommand({
      TableName: this.table, ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        ...keys.referral(r.reference), entity: entities.referral, ...r, ...(r.referrerSubject ? indexKeys.referralOfReferrer({ ...r, referrerSubject: r.referrerSubject }) : {}),
        ...familyIndex(r),
      },
    })));
  }

  async get(reference: string): Promise<ReferralRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.referral(reference), ConsistentRead: true }));
    return out.Item && ReferralRecord.parse(out.Item);
  }

  keepConfirmationDigest(reference: string, digest: string, now: string): Promise<boolean> {
    return conditionally(() => this.db.send(new UpdateCommand({
      TableName: this.table, Key: keys.referral(reference), UpdateExpression: 'SET referrerTokenDigest = :d, updatedAt = :now',
      ConditionExpression: '#s = :waiting', ExpressionAttributeNames: statusName,
      ExpressionAttributeValues: { ':d': digest, ':now': now, ':waiting': 'awaitingReferrer' },
    })));
  }

  /** The referrer confirmed in time: the referral is acted on, and now keeps its data for the programme's retention. */
  confirm(reference: string, now: string, expiresAtEpoch: number): Promise<boolean> {
    return conditionally(() => this.db.send(new UpdateCommand({
      TableName: this.table, Key: keys.referral(reference),
      UpdateExpression: 'SET #s = :confirmed, confirmedAt = :now, updatedAt = :now, expiresAtEpoch = :expires',
      ConditionExpression: '#s = :waiting AND confirmBy > :now', ExpressionAttributeNames: statusName,
      ExpressionAttributeValues: { ':confirmed': 'confirmed', ':waiting': 'awaitingReferrer', ':now': now, ':expires': expiresAtEpoch },
    })));
  }

  async rooms(programmeId: string): Promise<Room[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)', ConsistentRead: true,
      ExpressionAttributeValues: { ':p': partitions.programme(programmeId), ':r': prefixes.room },
    });
    return this.withProviders(items.map((i) => RoomRecord.parse(i)));
  }

  async room(programmeId: string, providerId: string): Promise<Room | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.room(programmeId, providerId), ConsistentRead: true }));
    return out.Item ? (await this.withProviders([RoomRecord.parse(out.Item)]))[0] : undefined;
  }

  /** Rooms with their providers' names and districts (read fresh: an admin may have changed where a provider works). */
  private async withProviders(rooms: RoomRecord[]): Promise<Room[]> {
    const providers = new Map((await batchGet(this.db, this.table, rooms.map((r) => keys.provider(r.providerId))))
      .map((i) => ProviderRecord.parse(i)).map((p) => [p.id, p]));
    return rooms.flatMap((r) => {
      const p = providers.get(r.providerId);
      return p ? [{ providerId: r.providerId, providerName: p.name, districts: p.districts, capacity: r.capacity, taken: r.taken }] : [];
    });
  }

  /** The agreement's places for the room; `belowTaken` if fewer than are already given. */
  async setCapacity(programmeId: string, providerId: string, capacity: number): Promise<'saved' | 'belowTaken'> {
    const saved = await conditionally(() => this.db.send(new UpdateCommand({
      TableName: this.table, Key: keys.room(programmeId, providerId),
      UpdateExpression: 'SET #cap = :cap, taken = if_not_exists(taken, :zero), programmeId = :p, providerId = :pr, entity = :e',
      ConditionExpression: 'attribute_not_exists(taken) OR taken <= :cap',
      ExpressionAttributeNames: { '#cap': 'capacity' },
      ExpressionAttributeValues: { ':cap': capacity, ':zero': 0, ':p': programmeId, ':pr': providerId, ':e': entities.room },
    })));
    return saved ? 'saved' : 'belowTaken';
  }

  async assign(a: Assignment): Promise<AssignOutcome> {
    const { referral: r } = a;
    const given = indexKeys.referralOfProvider({ providerId: a.providerId, scheme: r.scheme, programmeId: r.programmeId, assignedAt: a.now, reference: r.reference });
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      { Update: {
        TableName: this.table, Key: keys.room(r.programmeId, a.providerId),
        UpdateExpression: 'SET taken = taken + :one', ConditionExpression: 'taken < #cap',
        ExpressionAttributeNames: { '#cap': 'capacity' }, ExpressionAttributeValues: { ':one': 1 },
      } },
      { Update: {
        TableName: this.table, Key: keys.referral(r.reference),
        UpdateExpression: `SET #s = :to, providerId = :provider, assignedAt = :now, updatedAt = :now, expiresAtEpoch = :expires, gsi3pk = :g3p, gsi3sk = :g3s${a.card ? ', card = :card' : ''}`,
        ConditionExpression: '#s = :from', ExpressionAttributeNames: statusName,
        ExpressionAttributeValues: {
          ':to': a.to, ':from': a.from, ':provider': a.providerId, ':now': a.now, ':expires': a.expiresAtEpoch, ':g3p': given.gsi3pk, ':g3s': given.gsi3sk,
          ...(a.card ? { ':card': { number: a.card.number, validFrom: a.card.validFrom, validUntil: a.card.validUntil,
            ...(a.card.visitsAllowed === undefined ? {} : { visitsAllowed: a.card.visitsAllowed }) } } : {}),
        },
      } },
    ];
    const cardAt = a.card ? items.push({ Put: {
      TableName: this.table, ConditionExpression: 'attribute_not_exists(pk)',
      Item: { ...keys.youthCard(a.card.number), entity: entities.youthCard, ...a.card },
    } }) - 1 : -1;
    const queuesFrom = items.length;
    if (a.entry) {
      items.push(
        { Delete: { TableName: this.table, Key: keys.waitingEntry(a.entry), ConditionExpression: 'attribute_exists(pk)' } },
        { Update: { TableName: this.table, Key: keys.queue(a.entry.programmeId, a.entry.district), UpdateExpression: 'SET waiting = waiting - :one', ExpressionAttributeValues: { ':one': 1 } } },
      );
    } else {
      // A newcomer never takes a place that someone already waiting in the provider's districts could have.
      for (const district of a.blockingDistricts) {
        items.push({ ConditionCheck: {
          TableName: this.table, Key: keys.queue(r.programmeId, district),
          ConditionExpression: 'attribute_not_exists(waiting) OR waiting = :zero', ExpressionAttributeValues: { ':zero': 0 },
        } });
      }
    }
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: items })));
      return 'assigned';
    } catch (e) {
      const failed = failedConditions(e);
      if (!failed) throw e;
      if (failed.has(1)) return 'moved';
      if (failed.has(cardAt)) return 'cardTaken';
      if (a.entry && failed.has(queuesFrom)) return 'moved';
      if (failed.has(0)) return 'full';
      return 'blocked';
    }
  }

  /** Joins the district's queue in arrival order; false if the referral moved on meanwhile. */
  async enqueue(r: ReferralRecord, arrivedAt: string, now: string): Promise<boolean> {
    const entry = { programmeId: r.programmeId, district: r.district, arrivedAt, reference: r.reference };
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
        { Update: {
          TableName: this.table, Key: keys.referral(r.reference), UpdateExpression: 'SET #s = :waitlisted, waitingSince = :at, updatedAt = :now',
          ConditionExpression: '#s = :confirmed', ExpressionAttributeNames: statusName,
          ExpressionAttributeValues: { ':waitlisted': 'waitlisted', ':confirmed': 'confirmed', ':at': arrivedAt, ':now': now },
        } },
        { Put: { TableName: this.table, Item: { ...keys.waitingEntry(entry), entity: entities.waitingEntry, ...entry, expiresAtEpoch: r.expiresAtEpoch } } },
        { Update: {
          TableName: this.table, Key: keys.queue(r.programmeId, r.district),
          UpdateExpression: 'SET waiting = if_not_exists(waiting, :zero) + :one, entity = :e',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':e': entities.queue },
        } },
      ] })));
      return true;
    } catch (e) {
      if (failedConditions(e)?.has(0)) return false;
      throw e;
    }
  }

  async queueHeads(programmeId: string, districts: readonly string[]): Promise<WaitingEntry[]> {
    const heads = await Promise.all([...new Set(districts)].map(async (district) => {
      const out = await this.db.send(new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :w)', ConsistentRead: true, Limit: 1,
        ExpressionAttributeValues: { ':p': partitions.programme(programmeId), ':w': prefixes.waitingIn(district) },
      }));
      return (out.Items ?? []).map((i) => WaitingEntry.parse(i));
    }));
    return heads.flat();
  }

  /** Where a waiting referral stands in its district's queue: 1 is next. Counts the entries up to its own (keys only). */
  async waitingPosition(entry: WaitingEntry): Promise<number | undefined> {
    const own = keys.waitingEntry(entry);
    const ahead = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND sk BETWEEN :first AND :own', ConsistentRead: true,
      ExpressionAttributeValues: { ':p': own.pk, ':first': prefixes.waitingIn(entry.district), ':own': own.sk }, ProjectionExpression: 'sk',
    });
    return ahead.some((i) => i.sk === own.sk) ? ahead.length : undefined;
  }

  async changeStatus(c: { reference: string; programmeId: string; providerId: string; from: ReferralStatus; to: ReferralStatus; frees: boolean; now: string }): Promise<boolean> {
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
        { Update: {
          TableName: this.table, Key: keys.referral(c.reference),
          UpdateExpression: `SET #s = :to, #when = :now, updatedAt = :now`,
          ConditionExpression: '#s = :from AND providerId = :provider',
          ExpressionAttributeNames: { ...statusName, '#when': `${c.to}At` },
          ExpressionAttributeValues: { ':to': c.to, ':from': c.from, ':provider': c.providerId, ':now': c.now },
        } },
        ...(c.frees ? [{ Update: {
          TableName: this.table, Key: keys.room(c.programmeId, c.providerId), UpdateExpression: 'SET taken = taken - :one',
          ConditionExpression: 'taken > :zero', ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
        } }] : []),
      ] })));
      return true;
    } catch (e) {
      if (failedConditions(e)?.has(0)) return false;
      throw e;
    }
  }

  ofProvider(providerId: string, scheme: string, q: { programmeId?: string; limit: number; cursor?: string }) {
    return this.page('GSI3', partitions.referralsOfProvider(providerId, scheme), q);
  }

  ofReferrer(subject: string, q: { programmeId?: string; limit: number; cursor?: string }) {
    return this.page('GSI2', partitions.referralsOfReferrer(subject), q);
  }

  private async page(index: 'GSI2' | 'GSI3', partition: string, q: { programmeId?: string; limit: number; cursor?: string }) {
    const [pkAttr, skAttr] = [`${index.toLowerCase()}pk`, `${index.toLowerCase()}sk`];
    const page = await queryPage<Item>(this.db, {
      TableName: this.table,
      KeyConditionExpression: `${pkAttr} = :p${q.programmeId ? ` AND begins_with(${skAttr}, :prefix)` : ''}`,
      ExpressionAttributeValues: { ':p': partition, ...(q.programmeId ? { ':prefix': prefixes.referralsIn(q.programmeId) } : {}) },
    }, { limit: q.limit, cursor: q.cursor, partitionValue: partition, index });
    return { items: page.items.map((i) => ReferralRecord.parse(i)), nextCursor: page.nextCursor };
  }
}
