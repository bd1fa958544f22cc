/**
 * Anyone can send an application naming any address, so a confirmation is the one email a stranger can
 * cause: at most this many go to one address in a London day. What follows a booking (a place offered, a
 * cancellation) is not limited: it needs a place someone was given.
 */
export const applicationEmailsPerAddressPerDay = 5;
