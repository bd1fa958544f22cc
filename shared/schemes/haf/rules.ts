// HAF's policy numbers, each written once: the schemas validate with them, the booking rules apply
// them, and GET /v1/schemes shows them to callers.

export const hafRules = {
  /** Reception to Year 11: roughly 4 to 16, on the day of the session. */
  minAge: 4,
  maxAge: 16,
  /** A HAF day is at least 4 hours of activities with a meal (DfE). */
  minHoursPerDay: 4,
  /** DfE lets a council give at most 15% of places to referred children without FSM. */
  maxDiscretionaryShare: 0.15,
  /** Parents are asked to cancel at least this long ahead, so the place can go to another child. */
  lateCancellationHours: 72,
  /** A child's later bookings are released after this many unexplained absences, unless the programme sets its own (0: never). */
  releaseAfterUnexplainedAbsences: 2,
} as const;

/** What DfE expects a programme to offer: guidance for the programme team, not a rule the system applies. */
export const hafGuidance = { easterDays: 4, summerDays: 16, christmasDays: 4 } as const;
