import type * as z from 'zod/mini';

// RFC 9457 problem documents. Every failure a caller can see is one of these; the `type`
// URIs name the kind of problem so a client can branch on it without parsing `title`.

export interface FieldError { path: string; message: string }

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
    /** An extension member (RFC 9457 §3.2): a code a client can branch on, such as why a Youth Card visit was refused. */
    public reason?: string,
  ) {
    super(title);
  }

  get type() {
    return `https://family-services.example.gov.uk/problems/${slug(this.title)}`;
  }

  toJSON() {
    return { type: this.type, title: this.title, status: this.status, detail: this.detail, errors: this.errors, ...(this.reason ? { reason: this.reason } : {}) };
  }
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export const badRequest = (detail: string) => new HttpProblem(400, 'Malformed request', detail);
export const unauthorised = (detail = 'A valid bearer token is needed for this route.') =>
  new HttpProblem(401, 'Unauthorised', detail, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (detail = 'Your role does not allow this.') => new HttpProblem(403, 'Forbidden', detail);
export const notFound = (detail = 'Nothing is here, or it is not yours.') => new HttpProblem(404, 'Not found', detail);
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);
export const tooLarge = (limit: number) => new HttpProblem(413, 'Request too large', `The body must be at most ${limit} bytes.`);
export const unsupportedMediaType = () =>
  new HttpProblem(415, 'Unsupported media type', 'Send the body as application/json.');
export const invalid = (errors: FieldError[], detail = 'Some fields are not valid; each one is listed.') =>
  new HttpProblem(422, 'Invalid request', detail, errors);
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new HttpProblem(429, 'Too many requests', detail, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
export const unavailable = (retryAfterSeconds = 2) =>
  new HttpProblem(503, 'Service unavailable', 'A service we depend on is not answering; try again shortly.', undefined, {
    'retry-after': String(retryAfterSeconds),
  });

/** zod issues → one entry per failing field, with dotted paths like `children.0.dateOfBirth`. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(body)',
    message: i.message,
  }));
}
