import * as z from 'zod';
import { DateOfBirth, Email, PersonName, Postcode, Slug, Text, Timestamp } from './common.ts';
import { EligibilityCode } from './catalogue.ts';

// ── Eligibility checks ───────────────────────────────────────────────────
const NationalInsuranceNumber = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/, 'must be a National Insurance number like AB123456C'));

const AsylumSupportNumber = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^\d{2}\/?\d{2}\/?\d{5}\/?\d{1,2}$|^[A-Z0-9]{6,12}$/, 'must be a National Asylum Support Service number'));

const parentForCheck = { lastName: PersonName, dateOfBirth: DateOfBirth };

/** Field names as DfE's checking API uses them. */
export const EligibilityCheckInput = z.union([
  z.strictObject({ ...parentForCheck, nationalInsuranceNumber: NationalInsuranceNumber }),
  z.strictObject({ ...parentForCheck, nationalAsylumSeekerServiceNumber: AsylumSupportNumber }),
  z.strictObject({ code: EligibilityCode }),
], { error: 'send lastName, dateOfBirth and nationalInsuranceNumber (or nationalAsylumSeekerServiceNumber), or an eligibility code' });
export type EligibilityCheckInput = z.infer<typeof EligibilityCheckInput>;

export const EligibilityCheck = z.object({
  checkId: z.string(),
  outcome: z.enum(['eligible', 'notEligible', 'parentNotFound', 'pending']),
  expiresAt: Timestamp,
});
export type EligibilityCheck = z.infer<typeof EligibilityCheck>;
export const CheckIdParam = z.object({ checkId: z.uuid('is not a check id') });

// ── HAF applications ─────────────────────────────────────────────────────
export const Parent = z.object({
  firstName: PersonName,
  lastName: PersonName,
  email: Email,
  phone: z.string().trim().regex(/^\+?[0-9 ()-]{7,20}$/, 'must be a phone number').optional(),
  postcode: Postcode,
});

export const ChildRequest = z.object({
  firstName: PersonName,
  lastName: PersonName,
  dateOfBirth: DateOfBirth,
  sendNeeds: Text(500).optional(),
  dietaryNeeds: Text(500).optional(),
  medicalNotes: Text(500).optional(),
  sessionIds: z.array(Slug).min(1, 'choose at least one session').max(20),
});
export type ChildRequest = z.infer<typeof ChildRequest>;

const Consent = z.object({ dataProcessing: z.literal(true, 'must be given to book a place') });

export const HafApplicationInput = z.object({
  scheme: z.literal('HAF'),
  programmeId: Slug,
  parent: Parent,
  eligibility: z.union([z.strictObject({ checkId: z.uuid('is not a check id') }), z.strictObject({ code: EligibilityCode })],
    { error: 'send { checkId } from an eligibility check, or { code }' }),
  children: z.array(ChildRequest).min(1, 'add at least one child').max(8),
  consent: Consent,
});
export type HafApplicationInput = z.infer<typeof HafApplicationInput>;

/** Sign-ups for the other schemes come with their own issues; until then they get a clear answer. */
export const ApplicationInput = z.discriminatedUnion('scheme', [HafApplicationInput], {
  error: (iss) => (iss.code === 'invalid_union' ? 'only HAF sign-ups are open through this API for now' : undefined),
});

export const BookingStatus = z.enum(['confirmed', 'waitlisted', 'rejected', 'cancelled']);
export type BookingStatus = z.infer<typeof BookingStatus>;

export const BookingOutcome = z.object({
  bookingId: z.string(),
  sessionId: z.string(),
  status: BookingStatus,
  reason: z.string().optional().describe('why a place was refused, in words a parent understands'),
  waitlistPosition: z.number().int().optional(),
});
export type BookingOutcome = z.infer<typeof BookingOutcome>;

export const ApplicationCreated = z.object({
  reference: z.string(),
  manageToken: z.string().describe('send as X-Manage-Token to see or cancel these bookings'),
  status: z.enum(['confirmed', 'partlyConfirmed', 'waitlisted', 'rejected']),
  children: z.array(z.object({ childId: z.string(), bookings: z.array(BookingOutcome) })),
});

export const ApplicationView = ApplicationCreated.omit({ manageToken: true }).extend({
  programmeId: Slug,
  createdAt: Timestamp,
  children: z.array(z.object({ childId: z.string(), firstName: z.string(), bookings: z.array(BookingOutcome) })),
});

export const ReferenceParam = z.object({ reference: z.string().regex(/^HAF-[0-9A-Z]{6,10}$/, 'is not an application reference') });
/** `<reference>-<child>-<session>`, e.g. `HAF-7K3M9Q2A-1-2`. */
export const BookingId = z.string().regex(/^HAF-[0-9A-Z]{6,10}-\d{1,2}-\d{1,2}$/, 'is not a booking id');
export const BookingIdParam = z.object({ bookingId: BookingId });
/** The manage token from the confirmation; a missing or wrong one looks exactly like an unknown reference (404). */
export const ManageTokenHeaders = z.object({
  'x-manage-token': z.string().min(16, 'is not a manage token').max(128, 'is not a manage token').optional()
    .describe('the manageToken from the application\'s response or confirmation email'),
});

export const CancellationResult = z.object({
  bookingId: z.string(),
  status: z.literal('cancelled'),
  late: z.boolean().describe('true when cancelled less than 72 hours before the session'),
});
