import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DateOfBirth, PersonName } from '../../shared/schemas/common.ts';
import { day } from '../support/clock.ts';

// What a person's name and date of birth may be (API.md): nothing that could become a link in an email,
// and no date of birth that is a typing slip.

describe('personal names', () => {
  it('take letters and marks of any script, spaces, apostrophes, hyphens and full stops', () => {
    for (const name of ["O'Brien-Smith", 'Zoë', 'Nguyễn', 'J. R.', 'A.J.', 'O’Neil', 'Mary Ann', 'محمد', '张伟', 'Ólafsdóttir']) {
      expect([name, PersonName.safeParse(name).success]).toEqual([name, true]);
    }
  });

  it('refuse digits, colons, slashes, anything that reads as a web address, and control characters', () => {
    for (const name of ['URGENT: verify at https://evil.example/login', 'Sam2', 'evil.example', 'www.evil', 'a/b', 'Tab\tName', '...', '', ' ']) {
      expect([name, PersonName.safeParse(name).success]).toEqual([name, false]);
    }
  });

  it('give one message per bad name, and tidy spaces', () => {
    expect(PersonName.safeParse('Visit https://x.example').error?.issues).toHaveLength(1);
    expect(PersonName.parse('  Anna   Lee ')).toBe('Anna Lee');
    expect(PersonName.safeParse('x'.repeat(101)).success).toBe(false);
  });

  it('are words one space apart, whatever spaces were typed (the pattern is one class: the spaces are tidied first)', () => {
    const words = /^[\p{L}\p{M}'’.‐-]+(?: [\p{L}\p{M}'’.‐-]+)*$/u;
    const typed = fc.array(fc.constantFrom('a', 'Z', 'é', '中', '\u0301', ' ', '  ', '\t', '\u00a0', "'", '’', '.', '‐', '-', '1', ','), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(fc.property(typed, (name) => {
      const tidied = name.trim().replace(/ {2,}/g, ' ');
      const parsed = PersonName.safeParse(name);
      // Every other rule (a letter, no web address, length) holds the same way for both forms, so only the shape is compared.
      if (!words.test(tidied)) expect(parsed.success).toBe(false);
      else if (parsed.success) expect(parsed.data).toBe(tidied);
      else expect(parsed.error.issues.map((i) => i.message)).not.toContain('may only contain letters, spaces, apostrophes, hyphens and full stops');
    }), { numRuns: 3000 });
  });
});

describe('dates of birth', () => {
  it('are real dates from 1900 to today', () => {
    expect(DateOfBirth.safeParse(day(-3000)).success).toBe(true);
    expect(DateOfBirth.safeParse(day(0)).success).toBe(true);
    for (const dob of ['2100-01-01', '1800-06-01', '9999-12-31', day(2), '2017-02-30', 'soon']) {
      expect([dob, DateOfBirth.safeParse(dob).success]).toEqual([dob, false]);
    }
    expect(DateOfBirth.safeParse('nope').error?.issues.map((i) => i.message)).toEqual(['must be a date as YYYY-MM-DD', 'must be a real calendar date']);
  });
});
