import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { CheckerUnavailable } from '../domain/eligibility.ts';
import { CursorRefused, DomainError, TooManyAttempts } from '../domain/errors.ts';
import { logger } from '../observability/logger.ts';
import { HttpProblem, conflict, forbidden, invalid, notFound, tooManyRequests, unavailable } from './problem.ts';
import type { Reply } from './route.ts';
import { csvOf, safeFilename, type CsvView } from './csv.ts';
import { topFrames } from '../observability/stack.ts';

// Headers every answer carries: the API serves data, never pages, so nothing may frame or run it.
const securityHeaders = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function jsonResponse(reply: Reply): Result {
  const hasBody = reply.body !== undefined;
  return {
    statusCode: reply.status,
    headers: { ...(hasBody ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...reply.headers },
    body: hasBody ? (typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)) : '',
  };
}

/** A list as a CSV download; a paged list's next cursor moves to a header, as CSV has nowhere else to put it. */
export function csvResponse(reply: Reply, view: CsvView, params: Record<string, string>): Result {
  const nextCursor = (reply.body as { nextCursor?: unknown } | undefined)?.nextCursor;
  return {
    statusCode: reply.status,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${safeFilename(view.filename(params))}"`,
      ...(typeof nextCursor === 'string' ? { 'x-next-cursor': nextCursor } : {}),
      ...reply.headers,
    },
    body: csvOf(view, reply.body),
  };
}

export function problemResponse(p: HttpProblem): Result {
  return {
    statusCode: p.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...p.headers },
    body: JSON.stringify(p),
  };
}

// SDK errors that mean "DynamoDB or SES is busy or unreachable", not "your request is wrong".
const unavailableErrors = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded',
  'InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT',
  'TransactionConflictException', 'TransactionInProgressException',
  // A secret the function needs could not be read (shared/secrets/).
  'SecretUnavailable',
]);

/** A transaction that kept losing races for a hot item after our retries is busy, not wrong: try again. */
function lostRaces(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  return e?.name === 'TransactionCanceledException'
    && (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded');
}

export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof CursorRefused) return invalid([{ path: 'cursor', message: 'is not a cursor for this list; start again without it' }]);
  if (error instanceof DomainError) {
    if (error.kind === 'notFound') return notFound(error.message);
    if (error.kind === 'forbidden') return forbidden(error.message);
    if (error.kind === 'conflict') {
      const problem = conflict(error.message);
      if (error.retryAfterSeconds !== undefined) problem.headers['retry-after'] = String(error.retryAfterSeconds);
      problem.reason = error.reason;
      return problem;
    }
    return invalid(error.issues, error.message);
  }
  if ((error as Error)?.name === 'DfeRejectedRequest') {
    return invalid([], 'The eligibility service could not check these details; please check them and try again.');
  }
  if (error instanceof TooManyAttempts) return tooManyRequests(error.message, error.retryAfterSeconds);
  if (error instanceof CheckerUnavailable) {
    logger.warn('eligibility service unavailable');
    return unavailable(error.retryAfterSeconds);
  }
  const e = error as { name?: string; code?: string; $retryable?: unknown };
  if (unavailableErrors.has(e?.name ?? '') || unavailableErrors.has(e?.code ?? '') || e?.$retryable || lostRaces(error)) {
    logger.warn('dependency unavailable', { errorName: e.name ?? e.code });
    return unavailable();
  }
  // Only the error's class and stack: SDK messages can echo item values, which are personal data.
  logger.error('unexpected error', { errorName: e?.name, stack: topFrames(error) });
  return new HttpProblem(500, 'Internal error', 'Something went wrong on our side; it has been logged.');
}

export const errorResponse = (error: unknown) => problemResponse(toProblem(error));

export function withEdgeHeaders(result: Result, correlationId: string): Result {
  return { ...result, headers: { ...securityHeaders, ...result.headers, 'x-correlation-id': correlationId } };
}
