import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BookingsPort, ChildRefusal, Limits, PlaceOutcome, ReleasePort, WantedPlace } from '../domain/ports.ts';
import { BookingRecord, ChildMatchRecord, WaitlistEntry, type BookingRequest, type ReleaseRecord } from '../schemas/records.ts';
import { batchGet, failedConditions, queryAll, withConflictRetry } from './dynamo.ts';
import { entities, keys, parse, partitions, prefixes } from './keys.ts';
import {
  bookingItem, childCanTakeDay, childCanTakeDays, childTakesDay, childTakesDays, leavesPlace, leavesWaitlist, newcomerTakesPlace,
  newcomerWaits, waitingChildTakesPlace, waitlistEntryItem,
} from './place-conditions.ts';

// Places, the waitlist and a child's days: every rule that depends on other families' bookings
// is a condition inside one TransactWriteItems, so no read-then-write race can overbook.

type Item = Record<string, unknown>;

export class BookingStore implements BookingsPort, ReleasePort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /**
   * Confirms a place if one is free, nobody waiting could take it first and the child is within limits,
   * else joins the waitlist. `looksFull` (from a recent read) skips a confirm transaction that would fail:
   * at opening time most attempts meet a full session, and a cancelled transaction still costs its units.
   */
  async place(b: BookingRequest, limits: Limits, now: string, looksFull = false): Promise<PlaceOutcome> {
    for (let round = 0; round < 5; round++) {
      const confirmed = looksFull && round === 0 ? 'full' : await this.tryConfirm(b, limits, now);
      if (confirmed !== 'full') return confirmed;
      const waitlisted = await this.tryWaitlist(b, limits, now);
      if (waitlisted !== 'placeFreed') return waitlisted;
    }
    // A place kept freeing and filling between our attempts: busy, so the caller is told to try again.
    throw Object.assign(new Error('A place kept changing hands; try again'), { name: 'ThrottlingException' });
  }

  /**
   * One child's places in an application, decided in the parent's order. Several go in one transaction, so
   * the child's days are written once for them all rather than once a place (issue 11): each place is still
   * its session's counts and its booking under the same conditions as `place`. A session found full moves
   * that place to the waitlist (and a place found free, off it) for another try; anything else the
   * transaction cannot settle (the child's days refuse, a booking already written) is decided place by place.
   */
  async placeAll(wanted: readonly WantedPlace[], now: string): Promise<PlaceOutcome[]> {
    if (!togetherPossible(wanted)) return this.oneByOne(wanted, now);
    let waits = wanted.map((w) => w.looksFull);
    for (let round = 0; round < 3; round++) {
      const tried = await this.tryTogether(wanted, waits, now);
      if (tried === 'placed') return waits.map((w) => ({ status: w ? 'waitlisted' : 'confirmed' }));
      if (tried === 'oneByOne') break;
      waits = tried;
    }
    return this.oneByOne(wanted, now);
  }

  private async oneByOne(wanted: readonly WantedPlace[], now: string): Promise<PlaceOutcome[]> {
    const outcomes: PlaceOutcome[] = [];
    for (const w of wanted) outcomes.push(await this.place(w.booking, w.limits, now, w.looksFull));
    return outcomes;
  }

  /** `placed`, or which places wait on the next try, or `oneByOne`. */
  private async tryTogether(wanted: readonly WantedPlace[], waits: readonly boolean[], now: string): Promise<'placed' | 'oneByOne' | boolean[]> {
    const items: Item[] = [];
    const countsAt: number[] = [];
    const bookingsAt = new Set<number>();
    wanted.forEach(({ booking: b, limits }, i) => {
      countsAt.push(items.length);
      bookingsAt.add(items.length + 1);
      items.push(...this.newcomerItems(b, limits, waits[i]!, now));
    });
    const mostHeld = mostDaysHeld(wanted, waits);
    // More places than days the limit allows (the plan refuses them first): place by place says which.
    if (mostHeld !== undefined && mostHeld < 0) return 'oneByOne';
    const first = wanted[0]!.booking;
    const taken = wanted.filter((_, i) => !waits[i]).map((w) => w.booking.sessionDate);
    const check = childCanTakeDays(wanted.map((w) => w.booking.sessionDate), mostHeld);
    items.push(this.childDaysItem(first, taken, check));
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: items as never })));
      return 'placed';
    } catch (e) {
      const failed = failedConditions(e);
      if (!failed) throw e;
      if (failed.has(items.length - 1) || [...bookingsAt].some((at) => failed.has(at))) return 'oneByOne';
      // Only sessions' counts refused: a place the counts say is full waits, one they say is free is taken.
      return waits.map((w, i) => (failed.has(countsAt[i]!) ? !w : w));
    }
  }

  private async tryConfirm(b: BookingRequest, limits: Limits, now: string): Promise<PlaceOutcome | 'full'> {
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
        ...this.newcomerItems(b, limits, false, now), this.childDaysItem(b, [b.sessionDate], childCanTakeDay(b, limits)),
      ] as never })));
      return { status: 'confirmed' };
    } catch (e) {
      const failed = failedConditions(e);
      if (!failed) throw e;
      if (failed.has(1)) return this.existing(b);
      if (failed.has(2)) return { status: 'rejected', reason: await this.childRefusal(b) };
      return 'full';
    }
  }

  private async tryWaitlist(b: BookingRequest, limits: Limits, now: string): Promise<PlaceOutcome | 'placeFreed'> {
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
        // A child who could not take the place anyway (a clash, no days left) does not queue for it.
        ...this.newcomerItems(b, limits, true, now), this.childDaysItem(b, [], childCanTakeDay(b, limits)),
      ] as never })));
      return { status: 'waitlisted' };
    } catch (e) {
      const failed = failedConditions(e);
      if (!failed) throw e;
      if (failed.has(1)) return this.existing(b);
      if (failed.has(3)) return { status: 'rejected', reason: await this.childRefusal(b) };
      return 'placeFreed';
    }
  }

  /** A newcomer's place in a transaction: its session's counts, its booking and, waiting, its waitlist entry. */
  private newcomerItems(b: BookingRequest, limits: Limits, waits: boolean, now: string): Item[] {
    return [
      { Update: { TableName: this.table, Key: keys.places(b.sessionId), ...(waits ? newcomerWaits(b, limits) : newcomerTakesPlace(b, limits)) } },
      { Put: { TableName: this.table, Item: bookingItem(b, waits ? 'waitlisted' : 'confirmed', now), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...(waits ? [{ Put: { TableName: this.table, Item: waitlistEntryItem(b) } }] : []),
    ];
  }

  /** The child's days under `check`: the dates `taken` added, or (none taken) only checked. */
  private childDaysItem(b: BookingRequest, taken: readonly string[], check: ReturnType<typeof childCanTakeDays>): Item {
    const Key = keys.childDays(b);
    return taken.length
      ? { Update: { TableName: this.table, Key, ...childTakesDays(taken, check, b) } }
      : { ConditionCheck: { TableName: this.table, Key, ...check } };
  }

  /** A retried application finds its booking already written: answer with what it became. */
  private async existing(b: BookingRequest): Promise<PlaceOutcome> {
    const found = await this.getBooking(b.sessionId, b.bookingId);
    if (found?.status === 'confirmed' || found?.status === 'waitlisted') return { status: found.status };
    return { status: 'rejected', reason: (found?.reason as ChildRefusal | undefined) ?? 'duplicate' };
  }

  /** Why the child's days refused it: already a session that day, or no days left. */
  private async childRefusal(b: Pick<BookingRequest, 'childKey' | 'programmeId' | 'family' | 'sessionDate'>): Promise<ChildRefusal> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.childDays(b), ConsistentRead: true }));
    const dates = out.Item?.dates as Set<string> | undefined;
    return dates?.has(b.sessionDate) ? 'clash' : 'overDayLimit';
  }

  async getBooking(sessionId: string, bookingId: string): Promise<BookingRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.booking(sessionId, bookingId), ConsistentRead: true }));
    return out.Item && BookingRecord.parse(out.Item);
  }

  /** Cancels a confirmed or waitlisted booking, freeing its place or its waitlist spot. `changed` if it changed since it was read. */
  async cancel(booking: BookingRecord, late: boolean, now: string, erasedFor?: string): Promise<'cancelled' | 'changed'> {
    const wasConfirmed = booking.status === 'confirmed';
    const erasure = erasedFor ? { set: ', erasedFor = :erasure', values: { ':erasure': erasedFor } } : { set: '', values: {} };
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
        { Update: {
          TableName: this.table, Key: keys.booking(booking.sessionId, booking.bookingId),
          UpdateExpression: `SET #s = :cancelled, cancelledAt = :now, lateCancellation = :late, updatedAt = :now${erasure.set} ADD rev :one`,
          ConditionExpression: '#s = :was', ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':now': now, ':late': late, ':was': booking.status, ':one': 1, ...erasure.values },
        } },
        ...(wasConfirmed ? [
          { Update: { TableName: this.table, Key: keys.places(booking.sessionId), ...leavesPlace(booking) } },
          { Update: {
            TableName: this.table, Key: keys.childDays(booking),
            UpdateExpression: 'DELETE dates :day', ExpressionAttributeValues: { ':day': new Set([booking.sessionDate]) },
          } },
        ] : [
          { Update: { TableName: this.table, Key: keys.places(booking.sessionId), ...leavesWaitlist(booking) } },
          { Delete: { TableName: this.table, Key: keys.waitlistEntry(booking.sessionId, booking.arrivedAt, booking.bookingId) } },
        ]),
      ] })));
      return 'cancelled';
    } catch (e) {
      // Cancelled twice at once, or offered a place meanwhile.
      if (failedConditions(e)?.has(0)) return 'changed';
      throw e;
    }
  }

  /**
   * Offers free places to the waitlist in arrival order, until a child finds no place. Each offer is one
   * transaction: the place, the booking, the waitlist entry and the child's days move together or not
   * at all. `expiresAtEpoch` is the programme's retention end, for the child's days.
   */
  async promote(sessionId: string, limits: Limits, now: string, expiresAtEpoch: number): Promise<string[]> {
    const promoted: string[] = [];
    let discretionaryFull = false;
    let from: Item | undefined;
    do {
      const page = await this.db.send(new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :w)', ConsistentRead: true,
        ExpressionAttributeValues: { ':p': partitions.session(sessionId), ':w': prefixes.waitlist }, Limit: 25, ExclusiveStartKey: from,
      }));
      for (const entry of (page.Items ?? []).map(waitlistEntryOf)) {
        // Once one referred child finds the discretionary places taken, the others behind would too.
        if (entry.discretionary && discretionaryFull) continue;
        const outcome = await this.offer(entry, limits, now, expiresAtEpoch);
        if (outcome === 'noPlace') return promoted;
        if (outcome === 'discretionaryFull') discretionaryFull = true;
        if (outcome === 'promoted') promoted.push(entry.bookingId);
      }
      from = page.LastEvaluatedKey;
    } while (from);
    return promoted;
  }

  private async offer(entry: WaitlistEntry, limits: Limits, now: string, expiresAtEpoch: number) {
    const b = { ...entry, expiresAtEpoch };
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
        { Update: { TableName: this.table, Key: keys.places(entry.sessionId), ...waitingChildTakesPlace(b, limits) } },
        { Update: {
          TableName: this.table, Key: keys.booking(entry.sessionId, entry.bookingId),
          UpdateExpression: 'SET #s = :confirmed, offeredFromWaitlist = :yes, updatedAt = :now ADD rev :one',
          ConditionExpression: '#s = :waitlisted', ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':confirmed': 'confirmed', ':waitlisted': 'waitlisted', ':yes': true, ':now': now, ':one': 1 },
        } },
        { Delete: { TableName: this.table, Key: keys.waitlistEntry(entry.sessionId, entry.arrivedAt, entry.bookingId), ConditionExpression: 'attribute_exists(pk)' } },
        { Update: { TableName: this.table, Key: keys.childDays(entry), ...childTakesDay(b, limits) } },
      ] })));
      return 'promoted' as const;
    } catch (e) {
      const failed = failedConditions(e);
      if (!failed) throw e;
      if (failed.has(1) || failed.has(2)) return 'stale' as const;
      if (failed.has(3)) return this.dropFromWaitlist(entry, await this.childRefusal(entry), now);
      return entry.discretionary ? ('discretionaryFull' as const) : ('noPlace' as const);
    }
  }

  /** A waitlisted child who can no longer take a place (booked elsewhere that day, no days left). */
  private async dropFromWaitlist(entry: WaitlistEntry, reason: ChildRefusal, now: string) {
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: [
        { Update: {
          TableName: this.table, Key: keys.booking(entry.sessionId, entry.bookingId),
          UpdateExpression: 'SET #s = :rejected, reason = :reason, updatedAt = :now ADD rev :one', ConditionExpression: '#s = :waitlisted',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':rejected': 'rejected', ':reason': reason, ':now': now, ':waitlisted': 'waitlisted', ':one': 1 },
        } },
        { Delete: { TableName: this.table, Key: keys.waitlistEntry(entry.sessionId, entry.arrivedAt, entry.bookingId) } },
        { Update: { TableName: this.table, Key: keys.places(entry.sessionId), ...leavesWaitlist(entry) } },
      ] })));
    } catch (e) {
      // Moved on meanwhile (cancelled, or dropped by another offer): nothing left to do.
      if (!failedConditions(e)) throw e;
    }
    return 'dropped' as const;
  }

  /** Where a waitlisted booking stands: 1 is next. Counts the entries up to its own (keys only). */
  async waitlistPosition(b: Pick<BookingRequest, 'sessionId' | 'arrivedAt' | 'bookingId'>): Promise<number | undefined> {
    const own = keys.waitlistEntry(b.sessionId, b.arrivedAt, b.bookingId);
    const ahead = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND sk BETWEEN :first AND :own', ConsistentRead: true,
      ExpressionAttributeValues: { ':p': own.pk, ':first': prefixes.waitlist, ':own': own.sk }, ProjectionExpression: 'sk',
    });
    return ahead.some((i) => i.sk === own.sk) ? ahead.length : undefined;
  }

  /** The session's waitlist in arrival order (bookingIds). */
  async waitlist(sessionId: string): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :w)',
      ExpressionAttributeValues: { ':p': partitions.session(sessionId), ':w': prefixes.waitlist }, ProjectionExpression: 'bookingId',
    });
    return items.map((i) => String(i.bookingId));
  }

  /**
   * Other families' holdings of the same child (by name and date of birth) in a programme. A match is not
   * refused (two carers may each book), but it is flagged for the programme team with every reference
   * involved; it returns whether there was one.
   */
  async flagIfBookedByOthers(c: { childKey: string; programmeId: string; family: string; expiresAtEpoch: number }, now: string): Promise<boolean> {
    const holdings = (await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ConsistentRead: true,
      ExpressionAttributeValues: { ':p': partitions.child(c.childKey), ':s': prefixes.childDaysIn(c.programmeId) },
    })).filter((i) => (i.dates as Set<string> | undefined)?.size);
    const families = new Set(holdings.map((i) => parse.childDaysFamily(String(i.sk))));
    if (families.size < 2 || !families.has(c.family)) return false;
    const references = new Set(holdings.flatMap((i) => [...((i.references as Set<string> | undefined) ?? [])]));
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: keys.childMatch(c.programmeId, c.childKey),
      UpdateExpression: 'ADD #refs :refs SET entity = :e, childKey = :c, programmeId = :p, families = :n, '
        + 'flaggedAt = if_not_exists(flaggedAt, :now), updatedAt = :now, expiresAtEpoch = :expires',
      ExpressionAttributeNames: { '#refs': 'references' },
      ExpressionAttributeValues: {
        ':refs': references, ':e': entities.childMatch, ':c': c.childKey, ':p': c.programmeId, ':n': families.size, ':now': now, ':expires': c.expiresAtEpoch,
      },
    }));
    return true;
  }

  // ── Releasing a child's bookings after unexplained absences ──

  /** The applications holding a child's days in a programme, within its family (decision 004). */
  async childReferences(c: { childKey: string; programmeId: string; family: string }): Promise<string[]> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.childDays(c), ConsistentRead: true }));
    return [...((out.Item?.references as Set<string> | undefined) ?? [])];
  }

  async bookingsById(ids: readonly { sessionId: string; bookingId: string }[]): Promise<BookingRecord[]> {
    const items = await batchGet(this.db, this.table, ids.map((b) => keys.booking(b.sessionId, b.bookingId)));
    return items.map((i) => BookingRecord.parse(i));
  }

  /**
   * Cancels a child's bookings and writes the release that owes its parent the email, in one transaction:
   * each booking must still be as read (its place or waitlist spot is freed as a parent's cancellation
   * frees it), the child's days lose those dates, and the release is written once (`done` if it was).
   */
  async release(bookings: readonly BookingRecord[], record: ReleaseRecord, now: string): Promise<'released' | 'changed' | 'done'> {
    const confirmed = bookings.filter((b) => b.status === 'confirmed');
    const first = bookings[0];
    if (!first) return 'done';
    const items: Item[] = bookings.flatMap((b) => [
      { Update: {
        TableName: this.table, Key: keys.booking(b.sessionId, b.bookingId),
        UpdateExpression: 'SET #s = :cancelled, cancelledAt = :now, releasedFor = :release, updatedAt = :now ADD rev :one',
        ConditionExpression: '#s = :was', ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled', ':now': now, ':release': record.releaseId, ':was': b.status, ':one': 1 },
      } },
      ...(b.status === 'confirmed'
        ? [{ Update: { TableName: this.table, Key: keys.places(b.sessionId), ...leavesPlace(b) } }]
        : [
          { Update: { TableName: this.table, Key: keys.places(b.sessionId), ...leavesWaitlist(b) } },
          { Delete: { TableName: this.table, Key: keys.waitlistEntry(b.sessionId, b.arrivedAt, b.bookingId) } },
        ]),
    ]);
    if (confirmed.length) {
      items.push({ Update: {
        TableName: this.table, Key: keys.childDays(first),
        UpdateExpression: 'DELETE dates :days', ExpressionAttributeValues: { ':days': new Set(confirmed.map((b) => b.sessionDate)) },
      } });
    }
    items.push({ Put: {
      TableName: this.table, Item: { ...keys.release(record.releaseId), entity: entities.release, ...record }, ConditionExpression: 'attribute_not_exists(pk)',
    } });
    try {
      await withConflictRetry(() => this.db.send(new TransactWriteCommand({ TransactItems: items as never })));
      return 'released';
    } catch (e) {
      const failed = failedConditions(e);
      if (!failed) throw e;
      return failed.has(items.length - 1) ? 'done' : 'changed';
    }
  }

  /** The programme's children booked by more than one family, for the programme team. */
  async childMatches(programmeId: string): Promise<ChildMatchRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :m)',
      ExpressionAttributeValues: { ':p': partitions.programme(programmeId), ':m': prefixes.childMatch },
    });
    return items.map((i) => ChildMatchRecord.parse(i));
  }
}

const waitlistEntryOf = (i: Item): WaitlistEntry =>
  WaitlistEntry.parse({ ...i, sessionId: parse.sessionId(String(i.pk)), arrivedAt: parse.waitlistArrival(String(i.sk)) });

/** Together only in one transaction's reach: one child, each session and day once (the plan refuses clashes before). */
function togetherPossible(wanted: readonly WantedPlace[]): boolean {
  if (wanted.length < 2 || wanted.length > 25) return false;
  const child = wanted[0]!.booking;
  const same = wanted.every((w) => w.booking.childKey === child.childKey && w.booking.family === child.family && w.booking.programmeId === child.programmeId);
  return same && new Set(wanted.map((w) => w.booking.sessionId)).size === wanted.length
    && new Set(wanted.map((w) => w.booking.sessionDate)).size === wanted.length;
}

/**
 * Taken one by one in order, a place needs a day free after the places before it took theirs: the last place
 * is the tightest, so the child may hold now at most the limit, less one, less the places before the last that are taken.
 */
function mostDaysHeld(wanted: readonly WantedPlace[], waits: readonly boolean[]): number | undefined {
  const max = wanted[0]!.limits.maxDays;
  if (max === undefined) return undefined;
  return max - 1 - waits.slice(0, -1).filter((w) => !w).length;
}
