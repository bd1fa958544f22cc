import type { Programme } from '../schemas/catalogue.ts';

export type ProgrammeRecord = Omit<Programme, 'bookingOpen'>;

/** Bookings are taken from bookingOpensAt (inclusive) until bookingClosesAt (exclusive). */
export const isBookingOpen = (p: Pick<ProgrammeRecord, 'bookingOpensAt' | 'bookingClosesAt'>, now: Date): boolean =>
  now.getTime() >= Date.parse(p.bookingOpensAt) && now.getTime() < Date.parse(p.bookingClosesAt);

export const describeProgramme = (p: ProgrammeRecord, now: Date): Programme => ({ ...p, bookingOpen: isBookingOpen(p, now) });
