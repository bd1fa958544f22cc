import * as z from 'zod/mini';
import { DateOfBirth, District, PersonName, Slug, Text, Timestamp, described, listOf, paged } from '../../schemas/common.ts';
import { built, lazily } from '../../schemas/lazily.ts';
import { Consent, Parent, Referrer } from '../../schemas/people.ts';
import { ReferralStatus } from '../../schemas/records.ts';

// What a referrer sends to refer a family to Active Families, what comes back, and what the family's provider sees.

export const FamilyMember = lazily(() => z.object({
  firstName: PersonName,
  lastName: PersonName,
  dateOfBirth: DateOfBirth,
  needs: z.optional(described(Text(500), 'anything the provider should know to include them: SEND, health, access')),
}));

export const AfReferralInput = lazily(() => z.object({
  scheme: z.literal('ACTIVE_FAMILIES'),
  programmeId: Slug,
  referrer: Referrer,
  family: z.object({
    parent: Parent,
    members: z.array(FamilyMember).check(z.minLength(1, 'add the family members taking part'), z.maxLength(12)),
  }),
  district: described(District, "the district the family lives in: it is placed with a provider working there"),
  preferredActivities: z.optional(z.array(Text(60)).check(z.maxLength(10))),
  consent: Consent,
}));
export type AfReferralInput = z.infer<typeof AfReferralInput>;

const waiting = () => ({
  waitlistPosition: z.optional(described(z.int(), 'for a waiting family: where it stands in its district, 1 being next')),
  confirmBy: z.optional(described(Timestamp, 'while awaiting the referrer: until when the emailed link confirms it')),
});

export const AfCreated = lazily(() => z.object({
  reference: z.string(),
  manageToken: described(z.string(), 'send as X-Manage-Token to see this referral'),
  status: described(z.enum(['awaitingReferrer', 'confirmed', 'accepted', 'waitlisted']),
    'awaitingReferrer until the referrer confirms from the emailed link; then accepted (with a provider) or waitlisted'),
  providerId: z.optional(z.string()),
  ...waiting(),
}));
export type AfCreated = z.infer<typeof AfCreated>;

export const AfView = lazily(() => z.object({
  reference: z.string(),
  scheme: z.literal('ACTIVE_FAMILIES'),
  programmeId: Slug,
  createdAt: Timestamp,
  status: z.enum([...built(ReferralStatus).options, 'expired']),
  district: z.string(),
  providerId: z.optional(z.string()),
  providerName: z.optional(z.string()),
  members: z.array(z.object({ firstName: z.string() })),
  ...waiting(),
}));
export type AfView = z.infer<typeof AfView>;

/** The answer to a referrer's confirmation: the referral as it now stands. */
export const AfConfirmed = lazily(() => z.object({
  reference: z.string(),
  scheme: z.literal('ACTIVE_FAMILIES'),
  status: z.enum(['confirmed', 'accepted', 'waitlisted', 'started', 'finished', 'withdrawn']),
  providerId: z.optional(z.string()),
  waitlistPosition: waiting().waitlistPosition,
}));

// ── The provider's side ──────────────────────────────────────────────────
export const FamilyQuery = lazily(() => paged({ programme: z.optional(Slug) }));
export type FamilyQuery = z.infer<typeof FamilyQuery>;

export const ProviderFamily = lazily(() => z.object({
  id: described(z.string(), 'the referral reference'),
  reference: z.string(),
  programmeId: z.string(),
  status: z.enum(['accepted', 'started', 'finished', 'withdrawn']),
  district: z.string(),
  assignedAt: Timestamp,
  startedAt: z.optional(Timestamp),
  finishedAt: z.optional(Timestamp),
  withdrawnAt: z.optional(Timestamp),
  parentFirstName: z.string(),
  contactPhone: z.optional(described(z.string(), "the parent's phone number")),
  contactEmail: z.optional(described(z.string(), "the parent's email, given only when there is no phone number")),
  preferredActivities: z.optional(z.array(z.string())),
  members: z.array(z.object({ firstName: z.string(), age: described(z.int(), 'in whole years today'), needs: z.optional(z.string()) })),
  membersText: described(z.string(), 'the members in one line, for a spreadsheet: "Sam (9; needs: uses a wheelchair), Jo (7)"'),
  referrerOrganisation: z.string(),
}));
export type ProviderFamily = z.infer<typeof ProviderFamily>;
export const ProviderFamilyList = lazily(() => listOf(ProviderFamily));

export const FamilyStatusInput = lazily(() => z.object({
  status: described(z.enum(['started', 'finished', 'withdrawn']), 'finishing or withdrawing gives the place to the next family waiting'),
}));
