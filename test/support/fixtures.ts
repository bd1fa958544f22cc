// Invented catalogue records for tests: no real person, provider or venue.

/** A programme; the HAF settings only for a HAF one (another scheme's programme refuses them). */
export const programme = (overrides: Record<string, unknown> = {}) => ({
  scheme: 'HAF', name: 'HAF Christmas 2026', startDate: '2026-12-21', endDate: '2027-01-01',
  bookingOpensAt: '2026-11-01T09:00:00Z', bookingClosesAt: '2026-12-18T17:00:00Z',
  ...((overrides.scheme ?? 'HAF') === 'HAF' ? { maxDaysPerChild: 4, discretionaryShare: 0.1 } : {}),
  ...overrides,
});

export const provider = (overrides: Record<string, unknown> = {}) => ({
  name: 'Soar Valley Sports CIC', contactEmail: 'bookings@soarvalley.example.org', districts: ['Charnwood', 'Melton'], ...overrides,
});

export const agreement = (overrides: Record<string, unknown> = {}) => ({
  grantAllocationPence: 1_200_000, ratePencePerChildDay: 2000, placesCommissioned: 600, paymentBasis: 'attended', ...overrides,
});

export const session = (overrides: Record<string, unknown> = {}) => ({
  programmeId: 'haf-christmas-2026', providerId: 'soar-valley', title: 'Festive Football & Lunch', date: '2026-12-22',
  startTime: '09:30', endTime: '13:30', venue: { name: 'Loughborough Leisure Centre', postcode: 'le11 3ha', district: 'Charnwood' },
  ageMin: 5, ageMax: 11, capacity: 20, mealProvided: true, sendSupport: false, ...overrides,
});
