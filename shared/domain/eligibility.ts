import type { EligibilityOutcome } from '../schemas/records.ts';

// Free school meal eligibility: one interface in the domain, two ways in (a council-issued
// code looked up in the table, or DfE's checking service asked about the parent).

export type { EligibilityOutcome };

/** What DfE's checking API takes. The NI number is used for the check and never kept. */
export type ParentIdentity =
  | { lastName: string; dateOfBirth: string; nationalInsuranceNumber: string }
  | { lastName: string; dateOfBirth: string; nationalAsylumSeekerServiceNumber: string };

export interface FsmCheckResult {
  outcome: EligibilityOutcome;
  /** DfE's id for the check, kept while the outcome is `pending` so we can ask again. */
  dfeCheckId?: string;
}

/** A port to DfE's eligibility checking service. */
export interface FsmChecker {
  /** Submits a check and waits briefly for the outcome; `pending` if DfE has not finished. */
  check(parent: ParentIdentity): Promise<FsmCheckResult>;
  /** Asks again about a check that was `pending`. */
  status(dfeCheckId: string): Promise<FsmCheckResult>;
}

/** How long a caller is asked to wait when DfE is down or slow, unless DfE says otherwise. */
export const dfeRetryAfterSeconds = 30;

/** DfE's service is down, slow beyond reason or refusing our credentials: the caller gets a 503. */
export class CheckerUnavailable extends Error {
  constructor(message: string, readonly retryAfterSeconds = dfeRetryAfterSeconds) {
    super(message);
    this.name = 'CheckerUnavailable';
  }
}

/** How long an outcome may be relied on: a yes lasts the holiday; a no or a wait is asked again soon. */
export const validityHours: Record<EligibilityOutcome, number> = { eligible: 24 * 30, notEligible: 24, parentNotFound: 24, pending: 24 };

/**
 * How often one client may try: wrong eligibility codes (someone guessing) and checks with DfE (each
 * is a call on DfE's service). Counted per address; once over, every code or check from it waits.
 */
export const attemptLimits = {
  codeGuess: { attempts: 10, windowSeconds: 15 * 60 },
  dfeCheck: { attempts: 30, windowSeconds: 15 * 60 },
} as const;
