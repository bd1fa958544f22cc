import * as z from 'zod/mini';
import { lazily } from '../../schemas/lazily.ts';
import { DateOfBirth, PersonName, Slug, Text, Timestamp, described } from '../../schemas/common.ts';
import { EligibilityCitation } from '../../schemas/eligibility.ts';
import { Consent, Parent } from '../../schemas/people.ts';
import { BookingStatus } from '../../schemas/records.ts';
import { hafRules } from './rules.ts';

// What a parent sends to book HAF places, and what comes back.

export const ChildRequest = lazily(() => z.object({
  firstName: PersonName,
  lastName: PersonName,
  dateOfBirth: DateOfBirth,
  sendNeeds: z.optional(Text(500)),
  dietaryNeeds: z.optional(Text(500)),
  medicalNotes: z.optional(Text(500)),
  sessionIds: z.array(Slug).check(z.minLength(1, 'choose at least one session'), z.maxLength(20)),
}));
export type ChildRequest = z.infer<typeof ChildRequest>;

export const HafApplicationInput = lazily(() => z.object({
  scheme: z.literal('HAF'),
  programmeId: Slug,
  parent: Parent,
  eligibility: EligibilityCitation,
  children: z.array(ChildRequest).check(z.minLength(1, 'add at least one child'), z.maxLength(8)),
  consent: Consent,
}));
export type HafApplicationInput = z.infer<typeof HafApplicationInput>;

export const BookingOutcome = lazily(() => z.object({
  bookingId: z.string(),
  sessionId: z.string(),
  status: BookingStatus,
  reason: z.optional(described(z.string(), 'why a place was refused, in words a parent understands')),
  waitlistPosition: z.optional(described(z.int(), 'for a waitlisted place: where the child stands, 1 being next')),
}));
export type BookingOutcome = z.infer<typeof BookingOutcome>;

export const HafApplicationStatus = lazily(() => z.enum(['confirmed', 'partlyConfirmed', 'waitlisted', 'rejected']));

export const HafApplicationCreated = lazily(() => z.object({
  reference: z.string(),
  manageToken: described(z.string(), 'send as X-Manage-Token to see or cancel these bookings'),
  status: HafApplicationStatus,
  children: z.array(z.object({ childId: z.string(), bookings: z.array(BookingOutcome) })),
}));
export type HafApplicationCreated = z.infer<typeof HafApplicationCreated>;

export const HafApplicationView = lazily(() => z.object({
  reference: z.string(),
  scheme: z.literal('HAF'),
  programmeId: Slug,
  createdAt: Timestamp,
  status: HafApplicationStatus,
  children: z.array(z.object({ childId: z.string(), firstName: z.string(), bookings: z.array(BookingOutcome) })),
}));
export type HafApplicationView = z.infer<typeof HafApplicationView>;

export const CancellationResult = lazily(() => z.object({
  bookingId: z.string(),
  status: z.literal('cancelled'),
  late: described(z.boolean(), `true when cancelled less than ${hafRules.lateCancellationHours} hours before the session`),
}));
