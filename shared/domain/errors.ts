// Typed outcomes the domain reports; the HTTP edge turns each kind into its status code.

export interface FieldIssue { path: string; message: string }

export class DomainError extends Error {
  constructor(
    readonly kind: 'notFound' | 'forbidden' | 'conflict' | 'invalid',
    message: string,
    readonly issues: FieldIssue[] = [],
    /** For a conflict that will pass by itself (still processing): when to ask again. */
    readonly retryAfterSeconds?: number,
    /** A code a caller's system can branch on (a Youth Card `expired`), beside the words for people. */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('notFound', `${what} was not found.`);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const conflict = (message: string, retryAfterSeconds?: number) => new DomainError('conflict', message, [], retryAfterSeconds);
export const invalid = (issues: FieldIssue[]) =>
  new DomainError('invalid', 'Some fields are not valid; each one is listed.', issues);

/** One client has tried too often (guessing codes, say): the caller gets a 429 with Retry-After. */
export class TooManyAttempts extends Error {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
    this.name = 'TooManyAttempts';
  }
}

/** A list's cursor that this list did not issue (another list's, or forged): a 422 on `cursor`. */
export class CursorRefused extends Error {
  override name = 'CursorRefused';
}
