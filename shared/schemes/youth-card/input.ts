import * as z from 'zod/mini';
import { cardNumberLength, cardNumberProblem, normaliseCardNumber } from '../../domain/ids.ts';
import { DateOfBirth, District, Email, IsoDate, PersonName, Postcode, Slug, Timestamp, described } from '../../schemas/common.ts';
import { built, lazily } from '../../schemas/lazily.ts';
import { Consent, Referrer } from '../../schemas/people.ts';
import { ReferralStatus } from '../../schemas/records.ts';

// What a referrer sends to refer a young person for a Youth Card, what comes back, and what a desk sees.

export const YcReferralInput = lazily(() => z.object({
  scheme: z.literal('YOUTH_CARD'),
  programmeId: Slug,
  youngPerson: z.object({
    firstName: PersonName,
    lastName: PersonName,
    dateOfBirth: DateOfBirth,
    email: z.optional(described(Email, 'the card is emailed here as well as to the referrer')),
    postcode: Postcode,
  }),
  referrer: Referrer,
  preferredProviderId: z.optional(described(Slug, 'the leisure centre the young person would like the card for')),
  district: z.optional(described(District, 'where the young person lives; without it, the preferred provider\'s district')),
  consent: Consent,
}).check(z.superRefine((r, ctx) => {
  if (!r.preferredProviderId && !r.district) {
    ctx.addIssue({ code: 'custom', path: ['preferredProviderId'], message: 'choose a leisure centre, or give the young person\'s district', input: r.preferredProviderId });
  }
})));
export type YcReferralInput = z.infer<typeof YcReferralInput>;

export const CardView = lazily(() => z.object({
  number: described(z.string(), '16 digits in four groups, the last a check digit'),
  providerId: z.string(),
  validFrom: IsoDate,
  validUntil: IsoDate,
  visitsAllowed: described(z.nullable(z.int()), 'null: unlimited visits within the dates'),
}));

const waiting = () => ({
  waitlistPosition: z.optional(described(z.int(), 'for a young person waiting: where they stand in their district, 1 being next')),
  confirmBy: z.optional(described(Timestamp, 'while awaiting the referrer: until when the emailed link confirms it')),
});

export const YcCreated = lazily(() => z.object({
  reference: z.string(),
  manageToken: described(z.string(), 'send as X-Manage-Token to see this referral'),
  status: described(z.enum(['awaitingReferrer', 'confirmed', 'issued', 'waitlisted']),
    'awaitingReferrer until the referrer confirms from the emailed link; then issued (with a card) or waitlisted'),
  card: z.optional(CardView),
  ...waiting(),
}));
export type YcCreated = z.infer<typeof YcCreated>;

export const YcView = lazily(() => z.object({
  reference: z.string(),
  scheme: z.literal('YOUTH_CARD'),
  programmeId: Slug,
  createdAt: Timestamp,
  status: z.enum([...built(ReferralStatus).options, 'expired']),
  firstName: z.string(),
  district: z.string(),
  providerName: z.optional(z.string()),
  card: z.optional(z.extend(built(CardView), { visitsUsed: z.int(), visitsLeft: described(z.nullable(z.int()), 'null: unlimited') })),
  ...waiting(),
}));
export type YcView = z.infer<typeof YcView>;

export const YcConfirmed = lazily(() => z.object({
  reference: z.string(),
  scheme: z.literal('YOUTH_CARD'),
  status: z.enum(['confirmed', 'issued', 'waitlisted']),
  card: z.optional(CardView),
  waitlistPosition: waiting().waitlistPosition,
}));

// ── The desk ─────────────────────────────────────────────────────────────
/** A card number as typed at a desk or read from its QR code: spaces and hyphens allowed, the check digit checked. */
export const CardNumberParam = lazily(() => z.object({
  number: z.pipe(
    z.string().check(
      z.describe('the card\'s 16 digits as printed or scanned from its QR code; spaces or hyphens between the groups are fine; the last is a Damm check digit'),
      z.refine((s) => cardNumberProblem(s) !== 'notDigits', `must be the card's ${cardNumberLength} digits (spaces or hyphens between the groups are fine)`),
      z.refine((s) => cardNumberProblem(s) !== 'checkDigit', { message: 'check the number: this is not a Youth Card number (a digit may be wrong, or two swapped)', when: (p) => p.issues.length === 0 }),
    ),
    z.transform(normaliseCardNumber),
  ),
}));

export const DeskCard = lazily(() => z.object({
  number: z.string(),
  status: described(z.enum(['valid', 'notYetValid', 'expired', 'usedUp', 'issuedElsewhere']), 'whether a visit can be recorded here today'),
  providerId: z.string(),
  providerName: z.optional(z.string()),
  firstName: z.optional(described(z.string(), 'shown only to the provider the card is for')),
  validFrom: z.optional(IsoDate),
  validUntil: z.optional(IsoDate),
  visitsAllowed: z.optional(z.nullable(z.int())),
  visitsUsed: z.optional(z.int()),
  visitsLeft: z.optional(described(z.nullable(z.int()), 'null: unlimited')),
}));
export type DeskCard = z.infer<typeof DeskCard>;

export const VisitRecorded = lazily(() => z.object({
  number: z.string(),
  visitedAt: Timestamp,
  visitsUsed: z.int(),
  visitsLeft: described(z.nullable(z.int()), 'null: unlimited'),
  validUntil: IsoDate,
}));
