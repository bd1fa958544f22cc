import { dateInLondon } from '../../shared/domain/calendar.ts';

// Dates for tests, taken from the clock so that nothing breaks when the calendar moves on.

const dayMs = 24 * 3600_000;

/** The London date `n` days from `from` (negative: before). */
export const day = (n: number, from = new Date()) => dateInLondon(new Date(from.getTime() + n * dayMs));

/** An instant `n` days from `from`, as an ISO timestamp. */
export const instant = (n: number, from = new Date()) => new Date(from.getTime() + n * dayMs).toISOString();

/** A date of birth that makes a child `years` old (and a few months) today. */
export const bornYearsAgo = (years: number, from = new Date()) => day(-Math.round((years + 0.3) * 365.25), from);
