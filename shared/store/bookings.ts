import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../domain/errors.ts';
import type { RejectionReason } from '../domain/haf-booking.ts';
import { placesKey } from './catalogue.ts';
import { cancelledAt, withConflictRetry } from './transactions.ts';

// Places, the waitlist and a child's days: every rule that depends on other families' bookings
// is a condition inside one TransactWriteItems, so no read-then-write race can overbook.

export const bookingKey = (sessionId: string, bookingId: string) => ({ pk: `SESSION#${sessionId}`, sk: `BOOKING#${bookingId}` });
/**
 * A child's days in a programme, counted within one family (decision 004): a stranger who knows a
 * child's name and date of birth can neither spend nor see that family's days. Keyed by the child
 * first, so the same child booked by other families is one Query away.
 */
const childDaysKey = (b: { childKey: string; programmeId: string; family: string }) =>
  ({ pk: `CHILD#${b.childKey}`, sk: `PROGRAMME#${b.programmeId}#FAMILY#${b.family}` });
const childMatchKey = (programmeId: string, childKey: string) => ({ pk: `PROGRAMME#${programmeId}`, sk: `CHILDMATCH#${childKey}` });
const waitlistKey = (sessionId: string, arrivedAt: string, bookingId: string) =>
  ({ pk: `SESSION#${sessionId}`, sk: `WAITLIST#${arrivedAt}#${bookingId}` });

/** What a provider needs on the day, copied onto the booking so the attendance list is one Query. */
export interface BookingDetails {
  bookingId: string; reference: string; sessionId: string; programmeId: string; providerId: string; sessionDate: string;
  childId: string;
  /** The child by name and date of birth (a hash); `family` is the parent's (a hash of the email). */
  childKey: string; family: string;
  discretionary: boolean; arrivedAt: string;
  /** When the programme's retention period ends (DynamoDB TTL, epoch seconds): the booking, its waitlist entry and the child's days go. */
  expiresAtEpoch: number;
  child: { firstName: string; lastName: string; dateOfBirth: string; sendNeeds?: string; dietaryNeeds?: string; medicalNotes?: string };
  parentPhone?: string;
}

export interface Limits { maxDays?: number; discretionaryPlaces: number }

/** A child booked by more than one family in a programme: the references involved, no names. */
export interface ChildMatch { id: string; families: number; references: string[]; flaggedAt: string; updatedAt: string }

export type PlaceResult = { status: 'confirmed' | 'waitlisted' } | { status: 'rejected'; reason: RejectionReason };

export class BookingStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /**
   * Confirms a place if one is free and the child is within limits, else joins the waitlist.
   * `looksFull` (from a recent read) skips a confirm transaction that would fail: at opening time
   * most attempts meet a full session, and a cancelled transaction still costs its write units.
   */
  async place(b: BookingDetails, limits: Limits, now: string, looksFull = false): Promise<PlaceResult> {
    for (let round = 0; round < 5; round++) {
      const confirmed = looksFull && round === 0 ? 'full' : await this.tryConfirm(b, limits, now);
      if (confirmed !== 'full') return confirmed;
      const waitlisted = await this.tryWaitlist(b, limits, now);
      if (waitlisted !== 'placeFreed') return waitlisted;
    }
    // A place kept freeing and filling between our attempts: busy, so the caller is told to try again.
    throw Object.assign(new Error('A place kept changing hands; try again'), { name: 'ThrottlingException' });
  }

  private async tryConfirm(b: BookingDetails, limits: Limits, now: string): Promise<PlaceResult | 'full'> {
    const places = newcomerTakesPlace(b, limits);
    const child = childTakesDay(b, limits);
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
        { Update: { TableName: this.table, Key: placesKey(b.sessionId), ...places } },
        { Put: { TableName: this.table, Item: bookingItem(b, 'confirmed', now), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Update: { TableName: this.table, Key: childDaysKey(b), ...child } },
      ] })));
      return { status: 'confirmed' };
    } catch (e) {
      const failed = cancelledAt(e);
      if (!failed) throw e;
      if (failed.has(1)) return this.existing(b);
      if (failed.has(2)) return { status: 'rejected', reason: await this.childReason(b) };
      return 'full';
    }
  }

  private async tryWaitlist(b: BookingDetails, limits: Limits, now: string): Promise<PlaceResult | 'placeFreed'> {
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
        { Update: { TableName: this.table, Key: placesKey(b.sessionId), ...newcomerWaits(b, limits) } },
        { Put: { TableName: this.table, Item: bookingItem(b, 'waitlisted', now), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: this.table, Item: { ...waitlistKey(b.sessionId, b.arrivedAt, b.bookingId), entity: 'WaitlistEntry',
          bookingId: b.bookingId, childKey: b.childKey, family: b.family, reference: b.reference, discretionary: b.discretionary,
          programmeId: b.programmeId, sessionDate: b.sessionDate,
          expiresAtEpoch: b.expiresAtEpoch } } },
        // A child who could not take the place anyway (a clash, no days left) does not queue for it.
        { ConditionCheck: { TableName: this.table, Key: childDaysKey(b), ...childCanTakeDay(b, limits) } },
      ] })));
      return { status: 'waitlisted' };
    } catch (e) {
      const failed = cancelledAt(e);
      if (!failed) throw e;
      if (failed.has(1)) return this.existing(b);
      if (failed.has(3)) return { status: 'rejected', reason: await this.childReason(b) };
      return 'placeFreed';
    }
  }

  /** A retried application finds its booking already written: answer with what it became. */
  private async existing(b: BookingDetails): Promise<PlaceResult> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: bookingKey(b.sessionId, b.bookingId), ConsistentRead: true }));
    const status = out.Item?.status;
    if (status === 'confirmed' || status === 'waitlisted') return { status };
    return { status: 'rejected', reason: (out.Item?.reason as RejectionReason) ?? 'duplicate' };
  }

  private async childReason(b: Pick<BookingDetails, 'childKey' | 'programmeId' | 'family' | 'sessionDate'>): Promise<RejectionReason> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: childDaysKey(b), ConsistentRead: true }));
    const dates = out.Item?.dates as Set<string> | undefined;
    return dates?.has(b.sessionDate) ? 'clash' : 'overDayLimit';
  }

  async getBooking(sessionId: string, bookingId: string): Promise<StoredBooking | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: bookingKey(sessionId, bookingId), ConsistentRead: true }));
    return out.Item as StoredBooking | undefined;
  }

  /** Cancels a confirmed or waitlisted booking, freeing its place or its waitlist spot. */
  async cancel(booking: StoredBooking, late: boolean, now: string): Promise<void> {
    const wasConfirmed = booking.status === 'confirmed';
    // The booking changed since it was read (cancelled twice at once, or offered a place meanwhile).
    const changed = (e: unknown) => { throw cancelledAt(e)?.has(0) ? conflict('This booking changed while cancelling; look at it again.') : e; };
    await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
      { Update: {
        TableName: this.table, Key: bookingKey(booking.sessionId, booking.bookingId),
        UpdateExpression: 'SET #s = :cancelled, cancelledAt = :now, lateCancellation = :late, updatedAt = :now',
        ConditionExpression: '#s = :was', ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled', ':now': now, ':late': late, ':was': booking.status },
      } },
      ...(wasConfirmed ? [
        { Update: {
          TableName: this.table, Key: placesKey(booking.sessionId),
          UpdateExpression: `SET booked = booked - :one${booking.discretionary ? ', discretionaryBooked = discretionaryBooked - :one' : ''}`,
          ExpressionAttributeValues: { ':one': 1 },
        } },
        { Update: {
          TableName: this.table, Key: childDaysKey(booking),
          UpdateExpression: 'DELETE dates :day', ExpressionAttributeValues: { ':day': new Set([booking.sessionDate]) },
        } },
      ] : [
        { Update: { TableName: this.table, Key: placesKey(booking.sessionId), ...leavesWaitlist(booking) } },
        { Delete: { TableName: this.table, Key: waitlistKey(booking.sessionId, booking.arrivedAt, booking.bookingId) } },
      ]),
    ] }))).catch(changed);
  }

  /**
   * Offers free places to the waitlist in arrival order, until a child finds no place. Each offer is one
   * transaction: the place, the booking, the waitlist entry and the child's days move together or not
   * at all. `expiresAtEpoch` is the programme's retention end, for the child's days.
   */
  async promote(sessionId: string, limits: Limits, now: string, expiresAtEpoch: number): Promise<string[]> {
    const promoted: string[] = [];
    let discretionaryFull = false;
    let from: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :w)', ConsistentRead: true,
        ExpressionAttributeValues: { ':p': `SESSION#${sessionId}`, ':w': 'WAITLIST#' }, Limit: 25, ExclusiveStartKey: from,
      }));
      for (const entry of (page.Items ?? []) as WaitlistEntry[]) {
        // Once one referred child finds the discretionary places taken, the others behind would too.
        if (entry.discretionary && discretionaryFull) continue;
        const outcome = await this.offer(sessionId, entry, limits, now, expiresAtEpoch);
        if (outcome === 'noPlace') return promoted;
        if (outcome === 'discretionaryFull') discretionaryFull = true;
        if (outcome === 'promoted') promoted.push(entry.bookingId);
      }
      from = page.LastEvaluatedKey;
    } while (from);
    return promoted;
  }

  private async offer(sessionId: string, entry: WaitlistEntry, limits: Limits, now: string, expiresAtEpoch: number) {
    const b = { ...entry, sessionId, expiresAtEpoch };
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
        { Update: { TableName: this.table, Key: placesKey(sessionId), ...waitingChildTakesPlace(b, limits) } },
        { Update: {
          TableName: this.table, Key: bookingKey(sessionId, entry.bookingId),
          UpdateExpression: 'SET #s = :confirmed, offeredFromWaitlist = :yes, updatedAt = :now',
          ConditionExpression: '#s = :waitlisted', ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':confirmed': 'confirmed', ':waitlisted': 'waitlisted', ':yes': true, ':now': now },
        } },
        { Delete: { TableName: this.table, Key: { pk: entry.pk, sk: entry.sk }, ConditionExpression: 'attribute_exists(pk)' } },
        { Update: { TableName: this.table, Key: childDaysKey(entry), ...childTakesDay(b, limits) } },
      ] })));
      return 'promoted' as const;
    } catch (e) {
      const failed = cancelledAt(e);
      if (!failed) throw e;
      if (failed.has(1) || failed.has(2)) return 'stale' as const;
      if (failed.has(3)) return this.dropFromWaitlist(sessionId, entry, await this.childReason(b), now);
      return entry.discretionary ? ('discretionaryFull' as const) : ('noPlace' as const);
    }
  }

  /** A waitlisted child who can no longer take a place (booked elsewhere that day, no days left). */
  private async dropFromWaitlist(sessionId: string, entry: WaitlistEntry, reason: RejectionReason, now: string) {
    await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
      { Update: {
        TableName: this.table, Key: bookingKey(sessionId, entry.bookingId),
        UpdateExpression: 'SET #s = :rejected, reason = :reason, updatedAt = :now', ConditionExpression: '#s = :waitlisted',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':rejected': 'rejected', ':reason': reason, ':now': now, ':waitlisted': 'waitlisted' },
      } },
      { Delete: { TableName: this.table, Key: { pk: entry.pk, sk: entry.sk } } },
      { Update: { TableName: this.table, Key: placesKey(sessionId), ...leavesWaitlist(entry) } },
    ] }))).catch((e) => { if (!cancelledAt(e)) throw e; });
    return 'dropped' as const;
  }

  /**
   * Other families' holdings of the same child (by name and date of birth) in a programme. A match is not
   * refused (two carers may each book), but it is flagged for the programme team with every reference
   * involved; it returns whether there was one.
   */
  async flagIfBookedByOthers(c: { childKey: string; programmeId: string; family: string; expiresAtEpoch: number }, now: string): Promise<boolean> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': `CHILD#${c.childKey}`, ':s': `PROGRAMME#${c.programmeId}#FAMILY#` }, ConsistentRead: true,
    }));
    const holdings = (out.Items ?? []).filter((i) => (i.dates as Set<string> | undefined)?.size);
    if (!holdings.some((i) => !String(i.sk).endsWith(`#FAMILY#${c.family}`)) || holdings.length < 2) return false;
    const references = new Set(holdings.flatMap((i) => [...((i.references as Set<string> | undefined) ?? [])]));
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: childMatchKey(c.programmeId, c.childKey),
      UpdateExpression: 'ADD #refs :refs SET entity = :e, childKey = :c, programmeId = :p, families = :n, '
        + 'flaggedAt = if_not_exists(flaggedAt, :now), updatedAt = :now, expiresAtEpoch = :expires',
      ExpressionAttributeNames: { '#refs': 'references' },
      ExpressionAttributeValues: {
        ':refs': references, ':e': 'ChildMatch', ':c': c.childKey, ':p': c.programmeId, ':n': holdings.length, ':now': now, ':expires': c.expiresAtEpoch,
      },
    }));
    return true;
  }

  /** The programme's children booked by more than one family, for the programme team. */
  async childMatches(programmeId: string): Promise<ChildMatch[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :m)', ExclusiveStartKey,
        ExpressionAttributeValues: { ':p': `PROGRAMME#${programmeId}`, ':m': 'CHILDMATCH#' },
      }));
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.map((i) => ({
      id: String(i.childKey), families: Number(i.families), references: [...((i.references as Set<string>) ?? [])].sort(),
      flaggedAt: String(i.flaggedAt), updatedAt: String(i.updatedAt),
    }));
  }

  /** Where a waitlisted booking stands: 1 is next. Counts the entries up to its own (keys only, in one Query). */
  async waitlistPosition(b: Pick<BookingDetails, 'sessionId' | 'arrivedAt' | 'bookingId'>): Promise<number | undefined> {
    const own = waitlistKey(b.sessionId, b.arrivedAt, b.bookingId);
    let count = 0;
    let found = false;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'pk = :p AND sk BETWEEN :first AND :own', ExclusiveStartKey, ConsistentRead: true,
        ExpressionAttributeValues: { ':p': own.pk, ':first': 'WAITLIST#', ':own': own.sk }, ProjectionExpression: 'sk',
      }));
      count += out.Items?.length ?? 0;
      found ||= (out.Items ?? []).some((i) => i.sk === own.sk);
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found ? count : undefined;
  }

  /** The session's waitlist in arrival order (bookingIds). */
  async waitlist(sessionId: string): Promise<string[]> {
    const ids: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :w)', ExclusiveStartKey,
        ExpressionAttributeValues: { ':p': `SESSION#${sessionId}`, ':w': 'WAITLIST#' }, ProjectionExpression: 'bookingId',
      }));
      ids.push(...(out.Items ?? []).map((i) => String(i.bookingId)));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return ids;
  }
}

export interface StoredBooking extends BookingDetails { status: 'confirmed' | 'waitlisted' | 'cancelled' | 'rejected'; reason?: string; offeredFromWaitlist?: boolean; updatedAt: string }
interface WaitlistEntry {
  pk: string; sk: string; bookingId: string; reference: string; childKey: string; family: string; discretionary: boolean; programmeId: string; sessionDate: string;
}

function bookingItem(b: BookingDetails, status: 'confirmed' | 'waitlisted', now: string) {
  return { ...bookingKey(b.sessionId, b.bookingId), entity: 'Booking', ...b, status, createdAt: now, updatedAt: now };
}

// The session's counts decide who may have a place. A child already waiting always comes before a
// newcomer: a newcomer takes a free place only when nobody waiting could take it, which is when nobody
// waits, or only referred children wait and the discretionary share is full. These two conditions are
// each other's opposite, so a newcomer either takes the place or joins the queue (mustWait in the domain
// reads the same rule off the counts).

/** A newcomer takes a place: within capacity (and the discretionary share), and nobody waiting could have it. */
function newcomerTakesPlace(b: { discretionary: boolean }, limits: Limits) {
  return {
    UpdateExpression: `SET booked = booked + :one${b.discretionary ? ', discretionaryBooked = discretionaryBooked + :one' : ''}`,
    ConditionExpression: b.discretionary
      ? 'booked < #cap AND discretionaryBooked < :dcap AND waitlisted = :zero'
      : 'booked < #cap AND (waitlisted = :zero OR (waitlisted = discretionaryWaitlisted AND discretionaryBooked >= :dcap))',
    ExpressionAttributeNames: { '#cap': 'capacity' },
    ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':dcap': limits.discretionaryPlaces },
  };
}

/** A newcomer joins the waitlist: exactly when it may not take a place. */
function newcomerWaits(b: { discretionary: boolean }, limits: Limits) {
  return {
    UpdateExpression: `SET waitlisted = waitlisted + :one${b.discretionary ? ', discretionaryWaitlisted = discretionaryWaitlisted + :one' : ''}`,
    ConditionExpression: `attribute_exists(pk) AND ${b.discretionary
      ? '(booked >= #cap OR discretionaryBooked >= :dcap OR waitlisted > :zero)'
      : '(booked >= #cap OR (waitlisted > :zero AND (waitlisted <> discretionaryWaitlisted OR discretionaryBooked < :dcap)))'}`,
    ExpressionAttributeNames: { '#cap': 'capacity' },
    ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':dcap': limits.discretionaryPlaces },
  };
}

/** A waiting child is offered a place: within capacity (and the share); it leaves the waitlist in the same write. */
function waitingChildTakesPlace(b: { discretionary: boolean }, limits: Limits) {
  const d = b.discretionary;
  return {
    UpdateExpression: `SET booked = booked + :one, waitlisted = waitlisted - :one${d
      ? ', discretionaryBooked = discretionaryBooked + :one, discretionaryWaitlisted = discretionaryWaitlisted - :one' : ''}`,
    ConditionExpression: `booked < #cap${d ? ' AND discretionaryBooked < :dcap' : ''}`,
    ExpressionAttributeNames: { '#cap': 'capacity' },
    ExpressionAttributeValues: { ':one': 1, ...(d ? { ':dcap': limits.discretionaryPlaces } : {}) },
  };
}

/** A child leaves the waitlist without a place (the parent's choice, or it can no longer take one). */
const leavesWaitlist = (b: { discretionary: boolean }) => ({
  UpdateExpression: `SET waitlisted = waitlisted - :one${b.discretionary ? ', discretionaryWaitlisted = discretionaryWaitlisted - :one' : ''}`,
  ExpressionAttributeValues: { ':one': 1 },
});

/** The child's booked days: one session a day, and no more days than the programme allows. */
function childCanTakeDay(b: { sessionDate: string }, limits: Limits) {
  const max = limits.maxDays === undefined ? '' : ' AND size(dates) < :max';
  return {
    ConditionExpression: `attribute_not_exists(dates) OR (NOT contains(dates, :date)${max})`,
    ExpressionAttributeValues: { ':date': b.sessionDate, ...(limits.maxDays === undefined ? {} : { ':max': limits.maxDays }) },
  };
}

function childTakesDay(b: { sessionDate: string; expiresAtEpoch: number; reference: string }, limits: Limits) {
  const check = childCanTakeDay(b, limits);
  return {
    // The references tell the programme team which applications hold the days, if the child is also booked by another family.
    UpdateExpression: 'ADD dates :day, #refs :ref SET expiresAtEpoch = :expires',
    ConditionExpression: check.ConditionExpression,
    ExpressionAttributeNames: { '#refs': 'references' },
    ExpressionAttributeValues: {
      ...check.ExpressionAttributeValues, ':day': new Set([b.sessionDate]), ':ref': new Set([b.reference]), ':expires': b.expiresAtEpoch,
    },
  };
}
