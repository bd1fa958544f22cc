// Why a HAF place was refused, as a code (stored) and in a parent's words (shown). Codes are stored so
// that the words can improve later.

export const reasonText = {
  notEligible: 'Your child is not eligible for a free holiday club place: places are for children who get benefits-related free school meals.',
  codeUsed: 'This eligibility code has already been used by another family. Please check the code with your school.',
  checkUsed: 'This eligibility check was made for another family. Please check eligibility again with your own details.',
  bookingClosed: 'Booking for this holiday is not open at the moment.',
  unknownSession: 'We could not find this session in this holiday programme.',
  sessionStarted: 'This session has already started or taken place, so it cannot be booked. Please choose a later one.',
  outsideAgeRange: 'Your child is outside the age range for this session.',
  overDayLimit: 'Your child already has the most days allowed in this holiday programme.',
  clash: 'Your child already has a session booked on this day.',
  duplicate: 'This session was chosen twice for the same child.',
  noDiscretionaryPlaces: 'This session has no places for children referred without free school meals.',
  unavailable: 'We could not book this session just now because the service was busy. Please try again.',
} as const;

export type RejectionReason = keyof typeof reasonText;

/** A stored reason in a parent's words. */
export const explainReason = (reason: string | undefined): string =>
  (reason && reason in reasonText ? reasonText[reason as RejectionReason] : undefined) ?? 'We could not book this place.';
