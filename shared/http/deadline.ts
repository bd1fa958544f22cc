import type { Context } from 'aws-lambda';
import { unavailable } from './problem.ts';

/** Kept back from the function's timeout, so a stalled dependency is answered 503 and not cut off as API Gateway's 500. */
export const answerMarginMs = 1_000;

/**
 * The work's answer, or 503 with Retry-After once the function is about to time out. Work still running
 * goes on (every write is conditional, and an application's lease lets a retry resume it: decision 002).
 */
export function beforeTimeout<T>(work: Promise<T>, context: Context): Promise<T> {
  const left = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 0;
  if (!(left > 0)) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unavailable()), Math.max(0, left - answerMarginMs));
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
