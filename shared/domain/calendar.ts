// Dates in the API are Europe/London; these keep that conversion in one place. The UK's rule is written
// out rather than asked of Intl: the first Intl.DateTimeFormat in a process costs 10–15 ms (ICU loads its
// time zone data), which every cold start paid. test/unit/calendar.test.ts holds the rule to the tz database.

/** 01:00 UTC on the last Sunday of a month (0-based), when UK clocks change. */
function lastSundayAtOneUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 86_400_000;
}

/**
 * Minutes London is ahead of UTC at this instant: 60 in British Summer Time, from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October (the Summer Time Order 2002), else 0.
 */
export function londonOffsetMinutes(at: number): number {
  const year = new Date(at).getUTCFullYear();
  return at >= lastSundayAtOneUtc(year, 2) && at < lastSundayAtOneUtc(year, 9) ? 60 : 0;
}

/** The calendar date in London at this instant, as YYYY-MM-DD. */
export const dateInLondon = (at: Date): string =>
  new Date(at.getTime() + londonOffsetMinutes(at.getTime()) * 60_000).toISOString().slice(0, 10);

/** The instant a London wall-clock date and time (a session's start) happens. */
export function londonInstant(date: string, time: string): Date {
  const naive = Date.parse(`${date}T${time}:00Z`);
  return new Date(naive - londonOffsetMinutes(naive) * 60_000);
}

/** The fixed window of `seconds` that an instant falls in (epoch seconds), and how long it has left. */
export function windowAt(at: Date, seconds: number): { start: number; end: number; endsInSeconds: number } {
  const now = Math.floor(at.getTime() / 1000);
  const start = now - (now % seconds);
  return { start, end: start + seconds, endsInSeconds: start + seconds - now };
}

/** Whether a London date and time (a session's start) has come. */
export const hasCome = (date: string, time: string, now: Date): boolean => londonInstant(date, time).getTime() <= now.getTime();

/** Hours from now until a London date and time. */
export const hoursUntil = (date: string, time: string, now: Date): number => (londonInstant(date, time).getTime() - now.getTime()) / 3600_000;
