import type { ProgrammeRecord } from '../../schemas/records.ts';

// Active Families' policy numbers (seed 001): written once, shown by GET /v1/schemes.

export const activeFamiliesRules = {
  /** The bid targeted families with at least one child of this age on the day of referral; a programme may set its own. */
  minChildAge: 5,
  maxChildAge: 10,
} as const;

/** The child age range a programme applies: its own, or the scheme's. */
export const childAges = (p: Pick<ProgrammeRecord, 'ageMin' | 'ageMax'>) =>
  ({ min: p.ageMin ?? activeFamiliesRules.minChildAge, max: p.ageMax ?? activeFamiliesRules.maxChildAge });
