import { describe, expect, it } from 'vitest';
import { describeProgramme, personalDataExpiry, personalDataKeptUntil } from '../../shared/domain/programmes.ts';

const programme = {
  id: 'haf-summer-2026', scheme: 'HAF' as const, name: 'HAF Summer 2026', startDate: '2026-07-27', endDate: '2026-08-31',
  bookingOpensAt: '2026-06-01T09:00:00Z', bookingClosesAt: '2026-08-28T17:00:00Z', updatedAt: '2026-06-01T00:00:00Z',
};

describe('how long a programme keeps families’ personal data', () => {
  it('keeps it 12 months after the programme ends unless the programme says otherwise, then deletes it the next day', () => {
    expect(personalDataKeptUntil(programme)).toBe('2027-09-01');
    expect(personalDataKeptUntil({ endDate: '2027-01-01' })).toBe('2028-01-02');
    expect(personalDataKeptUntil({ endDate: '2026-12-31', retentionMonths: 24 })).toBe('2029-01-01');
  });

  it('does not run past the end of a shorter month', () => {
    expect(personalDataKeptUntil({ ...programme, retentionMonths: 6 })).toBe('2027-03-01');
    expect(personalDataKeptUntil({ endDate: '2027-08-31', retentionMonths: 6 })).toBe('2028-03-01');
  });

  it('gives the same day as a DynamoDB TTL in epoch seconds, and shows it with the programme', () => {
    expect(personalDataExpiry(programme)).toBe(Date.parse('2027-09-01T00:00:00Z') / 1000);
    expect(describeProgramme(programme, new Date('2026-06-02T00:00:00Z'))).toMatchObject({ bookingOpen: true, personalDataKeptUntil: '2027-09-01' });
  });
});
