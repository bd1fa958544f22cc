import type { ProgrammeRecord } from '../../schemas/records.ts';

// Youth Card's policy numbers (seed 001): written once, shown by GET /v1/schemes.

export const youthCardRules = {
  /** Age on the day of referral; a programme may set its own range. */
  minAge: 11,
  maxAge: 19,
  /** A card is valid this long from issue unless the programme says otherwise. */
  validMonths: 3,
  /** The Get Active variant: this many free visits (a programme sets visitsAllowed; without it, visits are unlimited within the dates). */
  getActiveVisits: 10,
} as const;

/** What a programme's cards are: its own settings, or the scheme's. */
export const cardTerms = (p: Pick<ProgrammeRecord, 'ageMin' | 'ageMax' | 'cardValidityMonths' | 'visitsAllowed'>) => ({
  ages: { min: p.ageMin ?? youthCardRules.minAge, max: p.ageMax ?? youthCardRules.maxAge },
  months: p.cardValidityMonths ?? youthCardRules.validMonths,
  visitsAllowed: p.visitsAllowed,
});
