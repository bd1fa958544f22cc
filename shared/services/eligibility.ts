import { createHash } from 'node:crypto';
import { windowAt } from '../domain/calendar.ts';
import {
  CheckerUnavailable, attemptLimits, validityHours, type EligibilityOutcome, type FsmChecker, type ParentIdentity,
} from '../domain/eligibility.ts';
import { TooManyAttempts, conflict, invalid, notFound } from '../domain/errors.ts';
import { normaliseName } from '../domain/people.ts';
import type { EligibilityPort, ThrottlePort } from '../domain/ports.ts';
import type { EligibilityCheck, EligibilityCheckInput } from '../schemas/eligibility.ts';
import { metrics } from '../observability/metrics.ts';
import type { CheckRecord } from '../schemas/records.ts';

// 1. A code: look it up among the codes the council loaded (or the service made).
// 2. A parent's details: ask DfE through the checker; keep only the outcome, never the NI number.
// 3. Record the check with its expiry, so an application can cite it by checkId.

export interface EligibilityDeps {
  eligibility: EligibilityPort;
  throttle: ThrottlePort;
  checker?: FsmChecker;
  now: () => Date;
  newId: () => string;
}

/** Who is asking, as a digest of their address: attempts are limited per client. */
export type Client = string | undefined;

const expiry = (outcome: EligibilityOutcome, at: Date) => new Date(at.getTime() + validityHours[outcome] * 3600_000).toISOString();

/**
 * The surname a DfE check was made with, as a digest salted by the check's id: enough to tell that an
 * application's parent is the parent checked, and no name kept.
 */
export const surnameDigest = (checkId: string, lastName: string) =>
  createHash('sha256').update(`${checkId}|${normaliseName(lastName)}`).digest('base64url');

export const viewCheck = (c: CheckRecord): EligibilityCheck => ({ checkId: c.checkId, outcome: c.outcome, expiresAt: c.expiresAt });

export async function checkEligibility(deps: EligibilityDeps, input: EligibilityCheckInput, client?: Client): Promise<EligibilityCheck> {
  const at = deps.now();
  const checkId = deps.newId();
  if ('code' in input) {
    await guardCodeGuesses(deps, client);
    const found = await deps.eligibility.codeEverywhere(input.code);
    if (found.length === 0) {
      await noteCodeGuess(deps, client);
      throw invalid([{ path: 'code', message: 'is not a code we issued; check it with your school' }]);
    }
    const outcome: EligibilityOutcome = found.some((f) => f.outcome === 'eligible' || f.outcome === 'discretionary') ? 'eligible' : 'notEligible';
    const check = { checkId, outcome, code: input.code, createdAt: at.toISOString(), expiresAt: expiry(outcome, at) };
    await deps.eligibility.putCheck(check);
    countOutcome('code', outcome);
    return viewCheck(check);
  }
  const checker = requireChecker(deps);
  if (client) {
    const { attempts, windowSeconds } = attemptLimits.dfeCheck;
    const window = windowAt(at, windowSeconds);
    if (!(await deps.throttle.take('dfeCheck', client, window, attempts))) throw tooMany(window.endsInSeconds);
  }
  const result = await checker.check(input as ParentIdentity);
  const check: CheckRecord = {
    checkId, outcome: result.outcome, createdAt: at.toISOString(), expiresAt: expiry(result.outcome, at),
    surnameDigest: surnameDigest(checkId, input.lastName),
    ...(result.outcome === 'pending' && result.dfeCheckId ? { dfeCheckId: result.dfeCheckId } : {}),
  };
  await deps.eligibility.putCheck(check);
  countOutcome('dfe', check.outcome);
  return viewCheck(check);
}

/** `EligibilityDfeEligible`, `EligibilityCodeNotEligible`, …: outcomes by way of checking. */
const countOutcome = (via: 'code' | 'dfe', outcome: EligibilityOutcome) =>
  metrics.count(`Eligibility${via === 'dfe' ? 'Dfe' : 'Code'}${outcome.charAt(0).toUpperCase()}${outcome.slice(1)}`, 1);

/** A check that was pending is asked about again; a settled one is answered from the table. */
export async function refreshCheck(deps: EligibilityDeps, checkId: string): Promise<CheckRecord> {
  const check = await deps.eligibility.getCheck(checkId);
  const at = deps.now();
  if (!check || Date.parse(check.expiresAt) <= at.getTime()) throw notFound('This eligibility check');
  if (check.outcome !== 'pending' || !check.dfeCheckId) return check;
  const result = await requireChecker(deps).status(check.dfeCheckId);
  if (result.outcome === 'pending') return check;
  const { dfeCheckId, ...rest } = check;
  const settled: CheckRecord = { ...rest, outcome: result.outcome, expiresAt: expiry(result.outcome, at) };
  // Two requests may settle it at once; once a family has claimed it, the claimed record stands.
  return (await deps.eligibility.putCheck(settled)) ? settled : ((await deps.eligibility.getCheck(checkId)) ?? settled);
}

/** For an application: the check must exist, be unexpired, settled, and be about this parent. */
export async function settledCheck(deps: EligibilityDeps, checkId: string, parentLastName: string): Promise<CheckRecord> {
  const check = await refreshCheck(deps, checkId).catch((e) => {
    if ((e as Error).name === 'DomainError') throw invalid([{ path: 'eligibility.checkId', message: 'is unknown or has expired; check eligibility again' }]);
    throw e;
  });
  if (check.surnameDigest && check.surnameDigest !== surnameDigest(checkId, parentLastName)) {
    throw invalid([{ path: 'parent.lastName', message: 'is not the surname the eligibility check was made with' }]);
  }
  if (check.outcome === 'pending') throw conflict('The eligibility check is still being processed by DfE; ask again in a minute.', 60);
  return check;
}

const tooMany = (retryAfterSeconds: number) =>
  new TooManyAttempts('Too many eligibility attempts from here; wait a few minutes and try again.', retryAfterSeconds);

/** A client that has sent too many wrong codes waits before trying any code again. */
export async function guardCodeGuesses(deps: Pick<EligibilityDeps, 'throttle' | 'now'>, client: Client): Promise<void> {
  if (!client) return;
  const { attempts, windowSeconds } = attemptLimits.codeGuess;
  const window = windowAt(deps.now(), windowSeconds);
  if ((await deps.throttle.count('codeGuess', client, window)) >= attempts) throw tooMany(window.endsInSeconds);
}

export async function noteCodeGuess(deps: Pick<EligibilityDeps, 'throttle' | 'now'>, client: Client): Promise<void> {
  if (!client) return;
  const { attempts, windowSeconds } = attemptLimits.codeGuess;
  await deps.throttle.take('codeGuess', client, windowAt(deps.now(), windowSeconds), attempts);
}

function requireChecker(deps: EligibilityDeps): FsmChecker {
  if (!deps.checker) throw new CheckerUnavailable('No DfE eligibility checking service is configured');
  return deps.checker;
}
