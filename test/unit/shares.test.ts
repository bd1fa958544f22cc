import { describe, expect, it } from 'vitest';
import { AgreementInput, ProgrammeInput } from '../../shared/schemas/catalogue.ts';
import { Share } from '../../shared/schemas/common.ts';

// Shares (an advance, an attendance threshold, the discretionary share) are kept to 4 decimal places. Found by
// the generated hostile input: an attendance threshold of 5e-324 passed the schema and DynamoDB refused it (a 500).

const agreement = { grantAllocationPence: 0, ratePencePerChildDay: 0, placesCommissioned: 0, paymentBasis: 'attended' } as const;

describe('shares', () => {
  it('take 0 to 1 to 4 decimal places', () => {
    for (const n of [0, 1, 0.15, 0.6, 0.75, 0.07, 0.3, 0.1234, 0.9999]) expect([n, Share().safeParse(n).success]).toEqual([n, true]);
  });

  it('refuse finer values, which DynamoDB cannot keep (below 1e-130) or finance cannot use', () => {
    for (const n of [5e-324, 1e-131, 1e-5, 0.12345, 1 / 3]) expect([n, Share().safeParse(n).success]).toEqual([n, false]);
  });

  it('are refused with a message on the field in an agreement and a programme', () => {
    const bad = AgreementInput.safeParse({ ...agreement, attendanceThreshold: 5e-324, advanceShare: 1e-200 });
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['advanceShare', 'attendanceThreshold']);
    expect(ProgrammeInput.safeParse({ scheme: 'HAF', name: 'x', startDate: '2026-07-20', endDate: '2026-07-24',
      bookingOpensAt: '2026-06-01T08:00:00Z', bookingClosesAt: '2026-07-19T08:00:00Z', discretionaryShare: 5e-324 }).error?.issues[0]?.path)
      .toEqual(['discretionaryShare']);
  });
});
