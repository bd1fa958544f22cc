import * as z from 'zod/mini';
import { Email, Text, Timestamp, described } from './common.ts';
import { built, lazily } from './lazily.ts';
import { FamilyMemberRecord, IssuedCard, ParentRecord, ReferrerRecord, Venue } from './records.ts';

// Subject access and erasure (docs/decisions/011): what the programme team sends, and what it is answered.

export const SubjectAccessRequest = lazily(() => z.strictObject({
  email: described(Email, "the parent's (or young person's) email address, as they gave it"),
}));
export type SubjectAccessRequest = z.infer<typeof SubjectAccessRequest>;

export const ErasureRequest = lazily(() => z.strictObject({
  email: described(Email, "the parent's (or young person's) email address, as they gave it"),
  reason: described(Text(500), 'why (e.g. "erasure request received 1 Dec by post"); kept in the audit trail, so do not name the person'),
}));
export type ErasureRequest = z.infer<typeof ErasureRequest>;

const text = z.string();
const optionalText = z.optional(text);
const counts = lazily(() => z.record(text, z.int()));

const HeldBooking = lazily(() => z.object({
  bookingId: text,
  sessionId: text,
  session: z.optional(z.object({ title: text, date: text, startTime: text, endTime: text, venue: Venue, providerId: text })),
  status: text,
  reason: optionalText,
  offeredFromWaitlist: z.optional(z.boolean()),
  lateCancellation: z.optional(z.boolean()),
  present: z.optional(z.boolean()),
  absenceReason: optionalText,
  releasedFor: optionalText,
}));

const HeldChild = lazily(() => z.object({
  childId: text,
  firstName: text,
  lastName: optionalText,
  dateOfBirth: optionalText,
  sendNeeds: optionalText,
  dietaryNeeds: optionalText,
  medicalNotes: optionalText,
  bookings: z.array(HeldBooking),
}));

const HeldApplication = lazily(() => z.object({
  reference: text,
  scheme: optionalText,
  programmeId: optionalText,
  status: text,
  createdAt: text,
  parent: z.optional(ParentRecord),
  eligibility: z.optional(z.object({ via: text, outcome: text })),
  children: z.array(HeldChild),
}));

const HeldReferral = lazily(() => z.object({
  reference: text,
  scheme: text,
  programmeId: text,
  status: text,
  createdAt: text,
  district: text,
  referrer: ReferrerRecord,
  family: z.optional(z.object({ parent: ParentRecord, members: z.array(FamilyMemberRecord) })),
  youngPerson: z.optional(z.object({ firstName: text, lastName: text, dateOfBirth: text, email: optionalText, postcode: text })),
  providerId: optionalText,
  card: z.optional(z.extend(built(IssuedCard), {
    visitsUsed: z.int(),
    visits: z.array(z.object({ at: text, by: described(text, "the desk's app client") })),
  })),
}));

export const ErasureAudit = lazily(() => z.object({
  erasureId: text,
  emailDigest: described(text, 'a digest of the email (never the email itself)'),
  erasedAt: Timestamp,
  erasedBy: described(text, "the admin token's subject"),
  reason: text,
  erased: described(counts, 'items deleted, by kind'),
  anonymised: described(counts, 'items kept without the family they named (eligibility claims), by kind'),
  cancelled: described(counts, 'places given up before erasing (future places, waiting-list spots, family places), by kind'),
}));

export const SubjectAccessReport = lazily(() => z.object({
  email: text,
  generatedAt: Timestamp,
  applications: described(z.array(HeldApplication), 'HAF applications: the parent, each child and its bookings (session, status, attendance)'),
  eligibilityClaims: described(z.array(z.object({
    kind: z.enum(['check', 'code']), id: text, programmeId: optionalText, outcome: text, claimedByReference: optionalText, claimedAt: optionalText,
  })), 'eligibility checks and codes that hold places for this family (never an NI number: none is kept)'),
  referrals: described(z.array(HeldReferral), 'Active Families referrals of this parent and Youth Card referrals of this young person, with the card and its visits'),
  emails: described(z.array(z.object({ kind: text, reference: text, sentAt: text, withheld: z.boolean() })),
    'the emails sent (what the message store keeps: the kind, the reference, when; never the content)'),
  erasures: described(z.array(ErasureAudit), 'earlier erasures for this email'),
}));
export type SubjectAccessReport = z.infer<typeof SubjectAccessReport>;
