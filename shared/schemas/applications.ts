import * as z from 'zod/mini';
import { referencePattern } from '../domain/ids.ts';
import { described } from './common.ts';
import { built, lazily } from './lazily.ts';
import { openSchemes, referencePrefixes, schemeIds } from '../schemes/registry.ts';

// POST /v1/applications and the routes that read or change an application, over every scheme in the
// registry: each scheme contributes its own body and answers.

type SignUpInput = z.ZodMiniObject<{ scheme: z.ZodMiniLiteral<string> }>;
/** A scheme's sign-up body as an object schema, built now if the scheme declared it lazily. */
const objectOf = (input: z.ZodMiniType) => (input._zod.def.type === 'lazy' ? built(input as z.ZodMiniLazy<SignUpInput>) : input as SignUpInput);

/** A sign-up to one scheme, by its `scheme`; a scheme that does not take sign-ups yet gets a clear answer. */
export const ApplicationInput = lazily(() => {
  const [first, ...rest] = openSchemes.map((s) => objectOf(s.signUp!.input));
  const closed = schemeIds.filter((id) => !openSchemes.some((s) => s.id === id));
  return z.discriminatedUnion('scheme', [first!, ...rest], {
    error: (iss) => (iss.code === 'invalid_union'
      ? `scheme must be one of ${openSchemes.map((s) => s.id).join(', ')}${closed.length ? ` (${closed.join(', ')} not through this API yet)` : ''}`
      : undefined),
  });
});

const union = (schemas: z.ZodMiniType[]) => (schemas.length === 1 ? schemas[0]! : z.union(schemas as [z.ZodMiniType, z.ZodMiniType, ...z.ZodMiniType[]]));
export const ApplicationCreated = lazily(() => union(openSchemes.map((s) => s.signUp!.schemas.created)));
export const ApplicationView = lazily(() => union(openSchemes.map((s) => s.signUp!.schemas.view)));
export const CancellationResult = lazily(() => union(openSchemes.flatMap((s) => (s.signUp!.schemas.cancelled ? [s.signUp!.schemas.cancelled] : []))));
/** The answer to a referrer's confirmation, for the schemes that take referrals. */
export const ReferralConfirmed = lazily(() => union(openSchemes.flatMap((s) => (s.signUp!.schemas.confirmed ? [s.signUp!.schemas.confirmed] : []))));
/** A referral body: the schemes that take referrals (placed with a provider), by `scheme`. */
export const ReferralInput = lazily(() => {
  const [first, ...rest] = openSchemes.filter((s) => s.placement).map((s) => objectOf(s.signUp!.input));
  return z.discriminatedUnion('scheme', [first!, ...rest], {
    error: (iss) => (iss.code === 'invalid_union' ? `scheme must be one of ${openSchemes.filter((s) => s.placement).map((s) => s.id).join(', ')}` : undefined),
  });
});
export const ReferralCreated = lazily(() => union(openSchemes.filter((s) => s.placement).map((s) => s.signUp!.schemas.created)));

const Reference = lazily(() => z.string().check(z.regex(referencePattern(referencePrefixes), 'is not an application reference')));
export const ReferenceParam = lazily(() => z.object({ reference: Reference }));
/** `<reference>-<child>-<session>`, e.g. `HAF-7K3M9Q2A-1-2`. */
export const BookingId = lazily(() => z.string().check(z.regex(new RegExp(`${referencePattern(referencePrefixes).source.slice(0, -1)}-\\d{1,2}-\\d{1,2}$`), 'is not a booking id')));
export const BookingIdParam = lazily(() => z.object({ bookingId: BookingId }));

/** The secret from the referrer's emailed link; a missing or wrong one looks exactly like an unknown reference (404). */
export const ReferrerTokenHeaders = lazily(() => z.object({
  'x-referrer-token': z.optional(described(z.string().check(z.minLength(16, 'is not a referrer token'), z.maxLength(128, 'is not a referrer token')),
    'the token from the link emailed to the referrer (the booking site\'s confirm page sends it)')),
}));

/** The manage token from the confirmation; a missing or wrong one looks exactly like an unknown reference (404). */
export const ManageTokenHeaders = lazily(() => z.object({
  'x-manage-token': z.optional(described(z.string().check(z.minLength(16, 'is not a manage token'), z.maxLength(128, 'is not a manage token')),
    'the manageToken from the application\'s response or confirmation email')),
}));
