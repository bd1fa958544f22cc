// Youth Card's policy numbers (seed 001): written once, shown by GET /v1/schemes.

export const youthCardRules = {
  /** Age on the day of referral; a programme may set its own range. */
  minAge: 11,
  maxAge: 19,
  /** A card is valid this long from issue unless the programme says otherwise. */
  validMonths: 3,
  /** The Get Active variant: this many free visits. */
  getActiveVisits: 10,
} as const;
