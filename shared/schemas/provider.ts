import * as z from 'zod';
import { BookingId } from './applications.ts';
import { Session } from './catalogue.ts';
import { IsoDate, Page, Slug, Timestamp } from './common.ts';

// What a provider's own systems pull (its sessions, the attendance list) and send back (the register).

// ── The provider's sessions ──────────────────────────────────────────────
export const ProviderSessionQuery = Page.extend({
  programme: Slug.optional(),
  date: IsoDate.optional().describe('only sessions on this day'),
});
export type ProviderSessionQuery = z.infer<typeof ProviderSessionQuery>;

export const ProviderSession = Session.extend({
  booked: z.number().int().describe('confirmed places'),
  waitlisted: z.number().int(),
  registerSent: z.boolean().describe('whether a register has been sent for this session'),
  registerSentAt: Timestamp.optional().describe('when the latest register was sent'),
});
export type ProviderSession = z.infer<typeof ProviderSession>;
export const ProviderSessionList = z.object({ items: z.array(ProviderSession), nextCursor: z.string().optional() });

// ── The attendance list ──────────────────────────────────────────────────
export const Attendee = z.object({
  bookingId: z.string(),
  reference: z.string().describe("the parent's booking reference"),
  firstName: z.string(),
  lastName: z.string(),
  ageOnDay: z.number().int().describe('age in whole years on the day of the session'),
  sendNeeds: z.string().optional(),
  dietaryNeeds: z.string().optional(),
  medicalNotes: z.string().optional(),
  contactPhone: z.string().optional().describe("the parent's phone number"),
  present: z.boolean().nullable().describe('null until a register marks this child'),
});
export type Attendee = z.infer<typeof Attendee>;

export const RegisterSummary = z.object({
  attendees: z.number().int().describe('children with a confirmed place'),
  present: z.number().int(),
  absent: z.number().int(),
  unrecorded: z.number().int(),
});
export type RegisterSummary = z.infer<typeof RegisterSummary>;

export const AttendanceList = z.object({
  session: Session.omit({ remaining: true, updatedAt: true }).extend({ registerSentAt: Timestamp.optional() }),
  summary: RegisterSummary,
  attendees: z.array(Attendee).describe('sorted by last name, then first name'),
});
export type AttendanceList = z.infer<typeof AttendanceList>;

// ── The register ─────────────────────────────────────────────────────────
export const RegisterInput = z.object({
  records: z
    .array(z.object({ bookingId: BookingId, present: z.boolean() }))
    .min(1, 'send at least one record')
    .max(500, 'send at most 500 records')
    .check((ctx) => {
      const seen = new Set<string>();
      ctx.value.forEach((r, i) => {
        if (seen.has(r.bookingId)) ctx.issues.push({ code: 'custom', path: [i, 'bookingId'], message: 'appears more than once', input: r.bookingId });
        seen.add(r.bookingId);
      });
    }),
});
export type RegisterInput = z.infer<typeof RegisterInput>;
export type RegisterRecord = RegisterInput['records'][number];

export const RegisterResult = z.object({
  sessionId: z.string(),
  registerSentAt: Timestamp,
  recorded: z.number().int().describe('records saved from this register'),
  summary: RegisterSummary,
});
export type RegisterResult = z.infer<typeof RegisterResult>;
