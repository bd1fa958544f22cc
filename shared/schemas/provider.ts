import * as z from 'zod/mini';
import { built, lazily } from './lazily.ts';
import { BookingId } from './applications.ts';
import { Session } from './catalogue.ts';
import { IsoDate, Slug, Text, Timestamp, described, paged } from './common.ts';

// What a provider's own systems pull (its sessions, the attendance list) and send back (the register).

const count = z.int();

// ── The provider's sessions ──────────────────────────────────────────────
export const ProviderSessionQuery = lazily(() => paged({
  programme: z.optional(Slug),
  date: z.optional(described(IsoDate, 'only sessions on this day')),
}));
export type ProviderSessionQuery = z.infer<typeof ProviderSessionQuery>;

export const ProviderSession = lazily(() => z.extend(built(Session), {
  booked: described(count, 'confirmed places'),
  waitlisted: count,
  registerSent: described(z.boolean(), 'whether a register has been sent for this session'),
  registerSentAt: z.optional(described(Timestamp, 'when the latest register was sent')),
}));
export type ProviderSession = z.infer<typeof ProviderSession>;
export const ProviderSessionList = lazily(() => z.object({ items: z.array(ProviderSession), nextCursor: z.optional(z.string()) }));

// ── The attendance list ──────────────────────────────────────────────────
export const Attendee = lazily(() => z.object({
  bookingId: z.string(),
  reference: described(z.string(), "the parent's booking reference"),
  firstName: z.string(),
  lastName: z.string(),
  ageOnDay: described(count, 'age in whole years on the day of the session'),
  sendNeeds: z.optional(z.string()),
  dietaryNeeds: z.optional(z.string()),
  medicalNotes: z.optional(z.string()),
  contactPhone: z.optional(described(z.string(), "the parent's phone number")),
  present: described(z.nullable(z.boolean()), 'null until a register marks this child'),
  absenceReason: z.optional(described(z.string(), 'the reason the register gave for an absence')),
}));
export type Attendee = z.infer<typeof Attendee>;

export const RegisterSummary = lazily(() => z.object({
  attendees: described(count, 'children with a confirmed place'),
  present: count,
  absent: count,
  unrecorded: count,
}));
export type RegisterSummary = z.infer<typeof RegisterSummary>;

export const AttendanceList = lazily(() => z.object({
  session: z.extend(z.omit(built(Session), { remaining: true, updatedAt: true }), { registerSentAt: z.optional(Timestamp) }),
  summary: RegisterSummary,
  attendees: described(z.array(Attendee), 'sorted by last name, then first name'),
}));
export type AttendanceList = z.infer<typeof AttendanceList>;

// ── The register ─────────────────────────────────────────────────────────
export const RegisterInput = lazily(() => z.object({
  records: z.array(z.object({
    bookingId: BookingId,
    present: z.boolean(),
    absenceReason: z.optional(described(Text(200), 'why the child was absent (ill, on holiday…): an absence without a reason is unexplained, and too many of those release the child\'s later bookings')),
  })).check(
    z.minLength(1, 'send at least one record'),
    z.maxLength(500, 'send at most 500 records'),
    z.superRefine((records, ctx) => {
      const seen = new Set<string>();
      records.forEach((r, i) => {
        if (seen.has(r.bookingId)) ctx.addIssue({ code: 'custom', path: [i, 'bookingId'], message: 'appears more than once', input: r.bookingId });
        if (r.present && r.absenceReason) ctx.addIssue({ code: 'custom', path: [i, 'absenceReason'], message: 'is only for a child who was absent', input: r.absenceReason });
        seen.add(r.bookingId);
      });
    }),
  ),
}));
export type RegisterInput = z.infer<typeof RegisterInput>;
export type RegisterRecord = RegisterInput['records'][number];

export const RegisterResult = lazily(() => z.object({
  sessionId: z.string(),
  registerSentAt: Timestamp,
  recorded: described(count, 'records saved from this register'),
  summary: RegisterSummary,
}));
export type RegisterResult = z.infer<typeof RegisterResult>;
