/**
 * Anyone can send an application naming any address, so a confirmation is the one email a stranger can
 * cause: at most this many go to one address in a London day. What follows a booking (a place offered, a
 * cancellation) is not limited: it needs a place someone was given.
 */
export const applicationEmailsPerAddressPerDay = 5;

/**
 * The same for a referrer's confirmation request, which anyone can cause by naming a partner's address in a
 * referral: partner staff make several a day, so the allowance is larger; an account needs none.
 */
export const confirmationRequestsPerAddressPerDay = 20;

/** How many of an email of this kind one address may get in a London day; undefined: not limited. */
export const dailyAllowanceOf = (kind: string): number | undefined =>
  ({ application: applicationEmailsPerAddressPerDay, referrerConfirmation: confirmationRequestsPerAddressPerDay } as Record<string, number>)[kind];
