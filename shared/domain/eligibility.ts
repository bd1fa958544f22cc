import { randomInt } from 'node:crypto';

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

/**
 * How often one client may try: wrong eligibility codes (someone guessing) and checks with DfE (each
 * is a call on DfE's service). Counted per address; once over, every code or check from it waits.
 */
export const attemptLimits = {
  codeGuess: { attempts: 10, windowSeconds: 15 * 60 },
  dfeCheck: { attempts: 30, windowSeconds: 15 * 60 },
} as const;

// Crockford's base 32 without I, L, O, U: nothing to misread on a voucher or mistype on a phone.
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A code made here: 8 random characters (40 bits) in two groups, after an optional prefix (`HAF-XMAS-7K3M-9Q2A`). */
export function newEligibilityCode(prefix?: string): string {
  const random = Array.from({ length: 8 }, () => codeAlphabet[randomInt(codeAlphabet.length)]).join('');
  return `${prefix ? `${prefix}-` : ''}${random.slice(0, 4)}-${random.slice(4)}`;
}
