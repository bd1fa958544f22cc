import type * as z from 'zod';
import type { ApplicationsPort, BookingsPort, CataloguePort, EligibilityPort, ThrottlePort } from '../domain/ports.ts';
import type { FsmChecker } from '../domain/eligibility.ts';
import type { OutgoingEmail } from '../mail/sender.ts';
import type { OwedMessage } from '../reactions/effects.ts';
import type { ApplicationRecord } from '../schemas/records.ts';

// What a scheme is to the rest of the system. Each scheme's folder exports one of these, and the
// registry lists them; everything that differs by scheme is reached through it (docs/decisions/005).

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

export interface SchemeModule<Input = never, Created = unknown, View = unknown> {
  id: string;
  /** Every reference this scheme gives out starts `<prefix>-` (`HAF-7K3M9Q2A`). */
  referencePrefix: string;
  description: SchemeDescription;
  /** Sign-ups through POST /v1/applications; absent while the scheme does not take them yet. */
  signUp?: {
    /** The body, discriminated by `scheme`. */
    input: z.ZodType<Input>;
    /** The 201 answer and the GET /v1/applications/{reference} answer, for the OpenAPI document. */
    schemas: { created: z.ZodType<Created>; view: z.ZodType<View>; cancelled?: z.ZodType };
    apply(deps: SchemeDeps, input: Input, ctx: SignUpContext): Promise<Created & { reference: string }>;
    show(deps: SchemeDeps, app: ApplicationRecord): Promise<View>;
    /** Cancelling one of the application's bookings (DELETE /v1/bookings/{bookingId}). */
    cancel?(deps: SchemeDeps, app: ApplicationRecord, bookingId: string): Promise<unknown>;
  };
  /** The emails the scheme's changes owe (shared/reactions), written out. */
  notices?: { compose(deps: NoticeDeps, message: OwedMessage): Promise<OutgoingEmail> };
}
