import * as z from 'zod/mini';
import { lazily } from '../schemas/lazily.ts';

// What a parent has told the site so far, kept in their session (on the server, never in a cookie) until
// they book. Read back through this schema; a draft that no longer reads is started again.

export const ChildDraft = lazily(() => z.object({
  firstName: z.string(), lastName: z.string(), dateOfBirth: z.string(),
  sendNeeds: z.optional(z.string()), dietaryNeeds: z.optional(z.string()), medicalNotes: z.optional(z.string()),
  sessionIds: z._default(z.array(z.string()), []),
}));
export type ChildDraft = z.infer<typeof ChildDraft>;

export const SiteDraft = lazily(() => z.object({
  programmeId: z.optional(z.string()),
  /** A check the parent made here (a code, or their details checked with DfE), and its outcome. */
  eligibility: z.optional(z.object({ via: z.enum(['code', 'check']), checkId: z.string(), outcome: z.string(), lastName: z.optional(z.string()), code: z.optional(z.string()) })),
  parent: z.optional(z.object({ firstName: z.string(), lastName: z.string(), email: z.string(), phone: z.optional(z.string()), postcode: z.string() })),
  children: z._default(z.array(ChildDraft), []),
  /** Goes up with every change: the booking's Idempotency-Key is made from it and the session, so the same
   *  draft sent twice (a double tap, two tabs, a retry) books once, and a changed draft is a new booking. */
  revision: z._default(z.int(), 0),
  /** The application this draft became. */
  booked: z.optional(z.object({ reference: z.string() })),
}));
export type SiteDraft = z.infer<typeof SiteDraft>;

export const readDraft = (value: unknown): SiteDraft => {
  const parsed = SiteDraft.safeParse(value);
  return parsed.success ? parsed.data : { children: [], revision: 0 };
};
