import type * as z from 'zod/mini';
import type { ApplicationsPort, BookingsPort, CataloguePort, EligibilityPort, ThrottlePort } from '../domain/ports.ts';
import type { FsmChecker } from '../domain/eligibility.ts';
import type { OutgoingEmail } from '../mail/sender.ts';
import type { OwedMessage } from '../reactions/effects.ts';
import type { ApplicationRecord } from '../schemas/records.ts';

// What a scheme is to the rest of the system: a definition every function carries (the registry), and the
// parts only some functions carry: its sign-up use cases and its emails (docs/decisions/005).

/** How a scheme is described to families and referrers (GET /v1/schemes). */
export interface SchemeDescription {
  name: string;
  summary: string;
  /** The rules in words. */
  eligibility: string[];
  /** The rules in numbers: each one is applied by the scheme's code, from the same constant. */
  rules: Record<string, number | string | boolean>;
  /** Numbers DfE or the funder expects, for the programme team's planning; not applied by the system. */
  guidance?: Record<string, number | string | boolean>;
}

/** The ports a scheme's use cases may take (each takes only those it uses). */
export interface SchemeDeps {
  catalogue: CataloguePort;
  applications: ApplicationsPort;
  eligibility: EligibilityPort;
  bookings: BookingsPort;
  throttle: ThrottlePort;
  checker?: FsmChecker;
  now: () => Date;
  newId: () => string;
}

/** What the edge knows of the request beyond its body. */
export interface SignUpContext {
  /** The Idempotency-Key header: a retry with the same key and body resumes or repeats the first answer. */
  requestKey?: string;
  /** Who is asking (a digest of the address), for limits per client. */
  client?: string;
}

/** What composing a scheme's emails may read. */
export interface NoticeDeps {
  applications: Pick<ApplicationsPort, 'get'>;
  catalogue: Pick<CataloguePort, 'getSession' | 'getSessions'>;
  siteUrl: string;
}

/**
 * What a scheme is to every function: its id, its references' prefix, how it is described, and (if it
 * takes sign-ups) the body and answers of POST /v1/applications. Light, so that every bundle can carry it.
 */
export interface SchemeDefinition {
  id: string;
  /** Every reference this scheme gives out starts `<prefix>-` (`HAF-7K3M9Q2A`). */
  referencePrefix: string;
  description: SchemeDescription;
  /** Absent while the scheme does not take sign-ups through the API. */
  signUp?: {
    /** The body, discriminated by `scheme`. */
    input: z.ZodMiniType;
    /** The 201 answer, the GET /v1/applications/{reference} answer and a cancellation's, for the OpenAPI document. */
    schemas: { created: z.ZodMiniType; view: z.ZodMiniType; cancelled?: z.ZodMiniType };
  };
}

/** A scheme's sign-up use cases: only the public API carries them (shared/schemes/sign-ups.ts). */
export interface SchemeSignUp<Input = never, Created = unknown, View = unknown> {
  apply(deps: SchemeDeps, input: Input, ctx: SignUpContext): Promise<Created & { reference: string }>;
  show(deps: SchemeDeps, app: ApplicationRecord): Promise<View>;
  /** Cancelling one of the application's bookings (DELETE /v1/bookings/{bookingId}). */
  cancel?(deps: SchemeDeps, app: ApplicationRecord, bookingId: string): Promise<unknown>;
}

/** The emails a scheme's changes owe (shared/reactions), written out: only the notifier carries them (shared/schemes/notices.ts). */
export interface SchemeNotices {
  compose(deps: NoticeDeps, message: OwedMessage): Promise<OutgoingEmail>;
}
