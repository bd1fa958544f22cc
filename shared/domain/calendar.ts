// Dates in the API are Europe/London; these keep that conversion in one place.

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in London at this instant, as YYYY-MM-DD. */
export const dateInLondon = (at: Date): string => londonDate.format(at);

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});

/** Minutes London is ahead of UTC at this instant (0 in winter, 60 in summer). */
function londonOffsetMinutes(at: number): number {
  const p = Object.fromEntries(londonParts.formatToParts(at).map((x) => [x.type, x.value]));
  return (Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!) - Math.floor(at / 60_000) * 60_000) / 60_000;
}

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
