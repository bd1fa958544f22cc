import * as z from 'zod/mini';
import { lazily } from './lazily.ts';
import { Email, PersonName, Postcode } from './common.ts';

// The people a sign-up names, as every scheme takes them.

export const Phone = z.string().check(z.trim(), z.regex(/^\+?[0-9 ()-]{7,20}$/, 'must be a phone number'));

export const Parent = lazily(() => z.object({
  firstName: PersonName,
  lastName: PersonName,
  email: Email,
  phone: z.optional(Phone),
  postcode: Postcode,
}));
export type Parent = z.infer<typeof Parent>;

export const Consent = lazily(() => z.object({ dataProcessing: z.literal(true, 'must be given to sign up') }));
