import type { Limits } from '../domain/ports.ts';
import type { BookingRequest } from '../schemas/records.ts';
import { entities, keys } from './keys.ts';

// The conditions and updates of a place's transactions: what the session's counts and a child's days
// must say for a place to be taken, waited for or given up. The booking store puts them together.

export function bookingItem(b: BookingRequest, status: 'confirmed' | 'waitlisted', now: string) {
  return { ...keys.booking(b.sessionId, b.bookingId), entity: entities.booking, ...b, status, rev: 1, createdAt: now, updatedAt: now };
}

// The session's counts decide who may have a place. A child already waiting always comes before a
// newcomer: a newcomer takes a free place only when nobody waiting could take it, which is when nobody
// waits, or only referred children wait and the discretionary share is full. The two conditions are
// each other's opposite, so a newcomer either takes the place or joins the queue (mustWait in the domain
// reads the same rule off the counts).

/** A newcomer takes a place: within capacity (and the discretionary share), and nobody waiting could have it. */
export function newcomerTakesPlace(b: { discretionary: boolean }, limits: Limits) {
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
export function newcomerWaits(b: { discretionary: boolean }, limits: Limits) {
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
export function waitingChildTakesPlace(b: { discretionary: boolean }, limits: Limits) {
  const d = b.discretionary;
  return {
    UpdateExpression: `SET booked = booked + :one, waitlisted = waitlisted - :one${d
      ? ', discretionaryBooked = discretionaryBooked + :one, discretionaryWaitlisted = discretionaryWaitlisted - :one' : ''}`,
    ConditionExpression: `booked < #cap${d ? ' AND discretionaryBooked < :dcap' : ''}`,
    ExpressionAttributeNames: { '#cap': 'capacity' },
    ExpressionAttributeValues: { ':one': 1, ...(d ? { ':dcap': limits.discretionaryPlaces } : {}) },
  };
}

/** A confirmed child gives up its place. */
export const leavesPlace = (b: { discretionary: boolean }) => ({
  UpdateExpression: `SET booked = booked - :one${b.discretionary ? ', discretionaryBooked = discretionaryBooked - :one' : ''}`,
  ExpressionAttributeValues: { ':one': 1 },
});

/** A child leaves the waitlist without a place (the parent's choice, or it can no longer take one). */
export const leavesWaitlist = (b: { discretionary: boolean }) => ({
  UpdateExpression: `SET waitlisted = waitlisted - :one${b.discretionary ? ', discretionaryWaitlisted = discretionaryWaitlisted - :one' : ''}`,
  ExpressionAttributeValues: { ':one': 1 },
});

/**
 * The child's booked days: none of `dates` already held, and (with a day limit) at most `mostHeld` days held
 * now, so that the days taken with these still fit. One date to take: `mostHeld` is the limit less one.
 */
export function childCanTakeDays(dates: readonly string[], mostHeld: number | undefined) {
  const clauses = dates.map((_, i) => `NOT contains(dates, :date${i})`);
  if (mostHeld !== undefined) clauses.push('size(dates) <= :mostHeld');
  return {
    ConditionExpression: `attribute_not_exists(dates) OR (${clauses.join(' AND ')})`,
    ExpressionAttributeValues: {
      ...Object.fromEntries(dates.map((d, i) => [`:date${i}`, d])), ...(mostHeld === undefined ? {} : { ':mostHeld': mostHeld }),
    },
  };
}

/** One date: a clash or no day left refuses it. */
export const childCanTakeDay = (b: { sessionDate: string }, limits: Limits) =>
  childCanTakeDays([b.sessionDate], limits.maxDays === undefined ? undefined : limits.maxDays - 1);

/** Takes `taken` (some of the dates the condition checks) into the child's days. */
export function childTakesDays(
  taken: readonly string[], check: ReturnType<typeof childCanTakeDays>, b: { expiresAtEpoch: number; reference: string },
) {
  return {
    // The references tell the programme team which applications hold the days, if the child is also booked by another family.
    UpdateExpression: 'ADD dates :days, #refs :ref SET expiresAtEpoch = :expires, entity = :e',
    ConditionExpression: check.ConditionExpression,
    ExpressionAttributeNames: { '#refs': 'references' },
    ExpressionAttributeValues: {
      ...check.ExpressionAttributeValues, ':days': new Set(taken), ':ref': new Set([b.reference]), ':expires': b.expiresAtEpoch,
      ':e': entities.childDays,
    },
  };
}

export const childTakesDay = (b: { sessionDate: string; expiresAtEpoch: number; reference: string }, limits: Limits) =>
  childTakesDays([b.sessionDate], childCanTakeDay(b, limits), b);

/** A waitlisted booking's place in its session's queue, in arrival order. */
export const waitlistEntryItem = (b: BookingRequest) => ({
  ...keys.waitlistEntry(b.sessionId, b.arrivedAt, b.bookingId), entity: entities.waitlistEntry,
  bookingId: b.bookingId, reference: b.reference, childKey: b.childKey, family: b.family, discretionary: b.discretionary,
  programmeId: b.programmeId, sessionDate: b.sessionDate, expiresAtEpoch: b.expiresAtEpoch,
});
