// Active Families' policy numbers (seed 001): written once, shown by GET /v1/schemes.

export const activeFamiliesRules = {
  /** The bid targeted families with at least one child of this age; a programme may set its own. */
  minChildAge: 5,
  maxChildAge: 10,
} as const;
