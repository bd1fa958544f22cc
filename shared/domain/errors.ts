// Typed outcomes the domain reports; the HTTP edge turns each kind into its status code.

export interface FieldIssue { path: string; message: string }

export class DomainError extends Error {
  constructor(
    readonly kind: 'notFound' | 'conflict' | 'invalid',
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('notFound', `${what} was not found.`);
export const conflict = (message: string) => new DomainError('conflict', message);
export const invalid = (issues: FieldIssue[]) =>
  new DomainError('invalid', 'Some fields are not valid; each one is listed.', issues);
