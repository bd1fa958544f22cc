import type * as z from 'zod/mini';
import type {
  ApplicationsPort, BookingsPort, CataloguePort, EligibilityPort, ReferralsPort, RequestDigest, ThrottlePort, YouthCardsPort,
} from '../domain/ports.ts';
import type { FsmChecker } from '../domain/eligibility.ts';
import type { Room } from '../domain/referrals.ts';
import type { OutgoingEmail } from '../mail/sender.ts';
import type { OwedMessage } from '../reactions/effects.ts';
import type { ProgrammeRecord, ReferralRecord, YouthCardRecord } from '../schemas/records.ts';

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
  referrals: ReferralsPort;
  youthCards: Pick<YouthCardsPort, 'get'>;
  checker?: FsmChecker;
  now: () => Date;
  newId: () => string;
  /** The keyed digest a sign-up under an Idempotency-Key keeps of its body. */
  requestDigest: RequestDigest;
}

/** What the edge knows of the request beyond its body. */
export interface SignUpContext {
  /** The Idempotency-Key header: a retry with the same key and body resumes or repeats the first answer. */
  requestKey?: string;
  /** Who is asking (a digest of the address), for limits per client. */
  client?: string;
  /** A signed-in referrer (the `referrer` role, verified by the gateway): their referral is acted on at once. */
  referrer?: { subject: string };
}

/** What composing a scheme's emails may read. */
export interface NoticeDeps {
  applications: Pick<ApplicationsPort, 'get'>;
  catalogue: Pick<CataloguePort, 'getSession' | 'getSessions' | 'getProvider' | 'getProgramme'>;
  /** A referrer's confirmation link is made as its email is written; only its digest is kept. */
  referrals: Pick<ReferralsPort, 'get' | 'keepConfirmationDigest' | 'waitingPosition'>;
  siteUrl: string;
  now: () => Date;
}

/** Settings a programme may carry beyond its dates and window, each taken only by the schemes that name it. */
export type ProgrammeSetting = 'maxDaysPerChild' | 'discretionaryShare' | 'ageMin' | 'ageMax' | 'cardValidityMonths' | 'visitsAllowed';

/**
 * How a scheme whose sign-ups are placed with a provider under its agreement (family places, cards) chooses
 * the provider, and what comes with the place. The placing itself is shared (shared/services/referrals.ts).
 */
export interface PlacementPolicy {
  /** What an agreement's `placesCommissioned` counts for this scheme, in words. */
  unit: string;
  /** The status a referral has once placed. */
  placed: 'accepted' | 'issued';
  /** The providers to try, in order, from those with room in the referral's district. */
  order(rooms: readonly Room[], referral: ReferralRecord): string[];
  /** What is written with the place (a Youth Card), made afresh on each try. */
  issue?(referral: ReferralRecord, providerId: string, programme: ProgrammeRecord, at: Date): YouthCardRecord;
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
  /** The programme settings this scheme takes (PUT /v1/admin/programmes refuses the others for its programmes). */
  programmeSettings: readonly ProgrammeSetting[];
  /** Sign-ups placed with a provider under its agreement (Active Families, the Youth Card). */
  placement?: PlacementPolicy;
  /** Absent while the scheme does not take sign-ups through the API. */
  signUp?: {
    /** The body, discriminated by `scheme`. */
    input: z.ZodMiniType;
    /** The 201 answer, the GET /v1/applications/{reference} answer, a cancellation's and a referrer's confirmation's, for the OpenAPI document. */
    schemas: { created: z.ZodMiniType; view: z.ZodMiniType; cancelled?: z.ZodMiniType; confirmed?: z.ZodMiniType };
  };
}

/** A scheme's sign-up use cases: only the public API carries them (shared/schemes/sign-ups.ts). */
export interface SchemeSignUp<Input = never, Created = unknown, View = unknown> {
  apply(deps: SchemeDeps, input: Input, ctx: SignUpContext): Promise<Created & { reference: string }>;
  /** The sign-up as its holder of the manage token sees it; anyone else gets "not found". */
  show(deps: SchemeDeps, reference: string, manageToken: string | undefined): Promise<View>;
  /** Cancelling one of the application's bookings (DELETE /v1/bookings/{bookingId}). */
  cancel?(deps: SchemeDeps, reference: string, bookingId: string, manageToken: string | undefined): Promise<unknown>;
  /** A referrer confirming a referral from the emailed link (POST /v1/applications/{reference}/referrer-confirmation). */
  confirm?(deps: SchemeDeps, reference: string, referrerToken: string | undefined): Promise<unknown>;
}

/** The emails a scheme's changes owe (shared/reactions), written out: only the notifier carries them (shared/schemes/notices.ts). */
export interface SchemeNotices {
  /** The email, or nothing when what it would say is no longer so (a referral placed since it was queued). */
  compose(deps: NoticeDeps, message: OwedMessage): Promise<OutgoingEmail | undefined>;
}
