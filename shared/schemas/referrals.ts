import * as z from 'zod/mini';
import { SchemeIdSchema } from '../schemes/registry.ts';
import { Slug, Timestamp, described, listOf, paged } from './common.ts';
import { built, lazily } from './lazily.ts';
import { ReferralStatus } from './records.ts';

// What a signed-in referrer lists: their own referrals, with how each stands.

export const ReferrerReferralQuery = lazily(() => paged({ programme: z.optional(Slug) }));
export type ReferrerReferralQuery = z.infer<typeof ReferrerReferralQuery>;

export const ReferrerReferral = lazily(() => z.object({
  id: z.string(),
  reference: z.string(),
  scheme: SchemeIdSchema,
  programmeId: z.string(),
  status: z.enum([...built(ReferralStatus).options, 'expired']),
  name: described(z.string(), 'the family\'s parent or the young person, as the referrer gave them'),
  district: z.string(),
  createdAt: Timestamp,
  confirmedAt: z.optional(Timestamp),
  providerId: z.optional(z.string()),
  assignedAt: z.optional(Timestamp),
}));
export const ReferrerReferralList = lazily(() => listOf(ReferrerReferral));
