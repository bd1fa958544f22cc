import { describe, expect, it } from 'vitest';
import { dateInLondon, londonInstant, londonOffsetMinutes } from '../../shared/domain/calendar.ts';

// The UK's summer time rule, written out in shared/domain/calendar.ts, against the tz database Node
// carries (Intl): if Parliament moves the clocks and tzdata follows, this fails before a date goes wrong.

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});
const tz = (at: number) => {
  const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    offset: (Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!) - Math.floor(at / 60_000) * 60_000) / 60_000,
  };
};
const hour = 3600_000;

describe('London time', () => {
  it('agrees with the tz database on the date and offset at every hour from 2015 to 2040', () => {
    const wrong: string[] = [];
    for (let at = Date.UTC(2015, 0, 1); at < Date.UTC(2041, 0, 1); at += hour) {
      const expected = tz(at);
      const got = { date: dateInLondon(new Date(at)), offset: londonOffsetMinutes(at) };
      if (got.date !== expected.date || got.offset !== expected.offset) wrong.push(`${new Date(at).toISOString()}: ${JSON.stringify(got)} ≠ ${JSON.stringify(expected)}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('changes at 01:00 UTC on the last Sundays of March and October, to the minute', () => {
    for (const change of [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1), Date.UTC(2031, 2, 30, 1), Date.UTC(2031, 9, 26, 1)]) {
      for (const at of [change - 60_000, change, change + 60_000]) expect([at, londonOffsetMinutes(at)]).toEqual([at, tz(at).offset]);
    }
  });

  it('turns a session’s wall-clock start into the instant, in winter and in summer', () => {
    expect(londonInstant('2026-12-21', '09:30').toISOString()).toBe('2026-12-21T09:30:00.000Z');
    expect(londonInstant('2027-07-26', '09:30').toISOString()).toBe('2027-07-26T08:30:00.000Z');
    // Just before midnight in summer is already the next day in London.
    expect(dateInLondon(new Date('2027-07-26T23:30:00Z'))).toBe('2027-07-27');
  });
});
