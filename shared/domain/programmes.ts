import type { ProgrammeRecord } from '../schemas/records.ts';

// A programme's booking window and how long it keeps families' personal data.

/** Bookings are taken from bookingOpensAt (inclusive) until bookingClosesAt (exclusive). */
export const isBookingOpen = (p: Pick<ProgrammeRecord, 'bookingOpensAt' | 'bookingClosesAt'>, now: Date): boolean =>
  now.getTime() >= Date.parse(p.bookingOpensAt) && now.getTime() < Date.parse(p.bookingClosesAt);

/** Months after a programme ends that its families' personal data is kept, unless the programme says otherwise. */
export const defaultRetentionMonths = 12;

/**
 * The day a programme's personal data goes: the start of the day after its end date plus its retention
 * period. Applications, bookings, waitlist entries and children's days carry this as their TTL; the
 * anonymous counts (places booked, registers sent) have none, so finance and DfE keep them.
 */
export function personalDataKeptUntil(p: Pick<ProgrammeRecord, 'endDate' | 'retentionMonths'>): string {
  const [y, m, d] = p.endDate.split('-').map(Number) as [number, number, number];
  const month = m - 1 + (p.retentionMonths ?? defaultRetentionMonths);
  // 31 August and six months is 28 February, not 3 March: the day is clamped to the month's length.
  const lastDay = new Date(Date.UTC(y, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, month, Math.min(d, lastDay) + 1)).toISOString().slice(0, 10);
}

/** The same day as a DynamoDB TTL (epoch seconds). */
export const personalDataExpiry = (p: Pick<ProgrammeRecord, 'endDate' | 'retentionMonths'>): number =>
  Date.parse(`${personalDataKeptUntil(p)}T00:00:00Z`) / 1000;

/** A programme as callers see it: whether booking is open now, and when its personal data goes. */
export const describeProgramme = (p: ProgrammeRecord, now: Date) =>
  ({ ...p, bookingOpen: isBookingOpen(p, now), personalDataKeptUntil: personalDataKeptUntil(p) });
