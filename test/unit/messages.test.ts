import { describe, expect, it } from 'vitest';
import { ApplicationInput } from '../../shared/schemas/applications.ts';
import { ProgrammeInput, SessionInput } from '../../shared/schemas/catalogue.ts';
import { RegisterInput } from '../../shared/schemas/provider.ts';

// The words a 422 uses where a schema names no message of its own (shared/schemas/common.ts): plain
// English a parent can act on, never zod's bare "Invalid input".

const problems = (r: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));

describe('messages for problems a schema does not word itself', () => {
  it('say what a field must be', () => {
    const got = problems(SessionInput.safeParse({
      programmeId: 'summer', providerId: 5, title: 'Club', date: '2027-07-26', startTime: '09:00', endTime: '15:00',
      venue: { name: 'Hall', postcode: 'LE1 1AA', district: 'Blaby' }, ageMin: 'five', ageMax: 11.5, capacity: 0, mealProvided: 'yes', sendSupport: false,
    }));
    expect(got).toEqual({
      providerId: 'must be text', ageMin: 'must be a number', ageMax: 'must be a whole number', capacity: 'must be at least 1', mealProvided: 'must be true or false',
    });
  });

  it('name the values allowed, the fields not taken, and what is missing', () => {
    expect(problems(ProgrammeInput.safeParse({ scheme: 'NOPE', name: 'x'.repeat(121) }))).toMatchObject({
      scheme: 'must be one of "HAF", "ACTIVE_FAMILIES", "YOUTH_CARD"', name: 'must be at most 120 characters', startDate: 'is required',
    });
    expect(problems(ApplicationInput.safeParse({ scheme: 'HAF', children: 'Alex' }))).toMatchObject({ children: 'must be a list', parent: 'is required' });
    expect(problems(RegisterInput.safeParse({ records: [] }))).toEqual({ records: 'send at least one record' });
  });

  it('never fall back to zod’s bare wording', () => {
    const all = [
      SessionInput.safeParse({ capacity: -1, venue: 3, ageMin: null }), ProgrammeInput.safeParse([]), ApplicationInput.safeParse({ scheme: 'HAF', parent: { email: 7 } }),
    ].flatMap((r) => r.error?.issues ?? []);
    expect(all.length).toBeGreaterThan(5);
    expect(all.map((i) => i.message).filter((m) => /invalid input/i.test(m))).toEqual([]);
  });
});
