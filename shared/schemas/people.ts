import * as z from 'zod/mini';
import { lazily } from './lazily.ts';
import { Email, PersonName, Postcode, unicodePattern } from './common.ts';

// The people a sign-up names, as every scheme takes them.

export const Phone = lazily(() => z.string().check(z.trim(), z.regex(/^\+?[0-9 ()-]{7,20}$/, 'must be a phone number')));

export const Parent = lazily(() => z.object({
  firstName: PersonName,
  lastName: PersonName,
  email: Email,
  phone: z.optional(Phone),
  postcode: Postcode,
}));
export type Parent = z.infer<typeof Parent>;

export const Consent = lazily(() => z.object({ dataProcessing: z.literal(true, 'must be given to sign up') }));

/**
 * An organisation's name as a referrer writes it (`St Mary's C of E Primary School`, `Youth Justice Service (North)`):
 * letters, digits and the punctuation names use, and never anything a mail program would make a link of.
 */
export const OrganisationName = lazily(() => z.string().check(
  z.trim(),
  z.minLength(1, 'is required'),
  z.overwrite((s) => s.replace(/ {2,}/g, ' ')),
  z.maxLength(120, 'must be at most 120 characters'),
  z.regex(unicodePattern("^[\\p{L}\\p{M}\\p{N}'’.,&()/‐ -]+$"), 'may only contain letters, digits, spaces and . , & \' ( ) / -'),
  z.refine((s) => /\p{L}/u.test(s) && !/[.\p{L}\p{N}]\.\p{L}{2}|\/\//u.test(s),
    { message: 'must be a name, not a web address', when: (p) => p.issues.length === 0 }),
));

/** The professional making a referral: acted on only from a partner's work address (the council profile's domains). */
export const Referrer = lazily(() => z.object({
  organisation: OrganisationName,
  name: PersonName,
  email: Email,
}));
export type Referrer = z.infer<typeof Referrer>;
