// Free school meal eligibility: one interface in the domain, two ways in (a council-issued
// code looked up in the table, or DfE's checking service asked about the parent).

export type EligibilityOutcome = 'eligible' | 'notEligible' | 'parentNotFound' | 'pending';

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

/** DfE's service is down, slow beyond reason or refusing our credentials: the caller gets a 503. */
export class CheckerUnavailable extends Error {
  constructor(message: string, readonly retryAfterSeconds = 30) {
    super(message);
    this.name = 'CheckerUnavailable';
  }
}
