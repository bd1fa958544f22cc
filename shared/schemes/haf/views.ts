import type { BookingsPort } from '../../domain/ports.ts';
import type { ApplicationRecord, BookingOutcomeRecord, BookingRecord } from '../../schemas/records.ts';
import type { HafApplicationCreated, HafApplicationView } from './input.ts';
import { applicationStatus } from './plan.ts';
import { explainReason } from './reasons.ts';

// A HAF application as its parent sees it: each booking as it stands now, and where each waitlisted child is.

interface ViewDeps {
  applications: { currentBookings(app: ApplicationRecord): Promise<Map<string, BookingRecord>> };
  bookings: Pick<BookingsPort, 'waitlistPosition'>;
}

/** The bookings as they stand now (offered, cancelled or dropped since), with waitlist positions. */
async function bookingsNow(deps: ViewDeps, app: ApplicationRecord) {
  const current = await deps.applications.currentBookings(app);
  const positions = new Map(await Promise.all([...current.values()].filter((b) => b.status === 'waitlisted')
    .map(async (b) => [b.bookingId, await deps.bookings.waitlistPosition(b)] as const)));
  return (b: BookingOutcomeRecord) => {
    const now = current.get(b.bookingId);
    const outcome = now ? { ...b, status: now.status, reason: now.reason } : b;
    const position = positions.get(b.bookingId);
    return {
      bookingId: outcome.bookingId, sessionId: outcome.sessionId, status: outcome.status,
      ...(outcome.reason ? { reason: explainReason(outcome.reason) } : {}),
      ...(outcome.status === 'waitlisted' && position !== undefined ? { waitlistPosition: position } : {}),
    };
  };
}

/** The answer to a sign-up (and to its repeats). */
export async function hafAnswer(deps: ViewDeps, app: ApplicationRecord): Promise<HafApplicationCreated> {
  const outcome = await bookingsNow(deps, app);
  const children = app.children.map((c) => ({ childId: c.childId, bookings: c.bookings.map(outcome) }));
  return {
    reference: app.reference, manageToken: app.manageToken,
    status: applicationStatus(children.flatMap((c) => c.bookings.map((b) => b.status))), children,
  };
}

/** The application for its manage page: first names, and every booking as it stands. */
export async function hafView(deps: ViewDeps, app: ApplicationRecord): Promise<HafApplicationView> {
  const outcome = await bookingsNow(deps, app);
  const children = app.children.map((c) => ({ childId: c.childId, firstName: c.firstName, bookings: c.bookings.map(outcome) }));
  return {
    reference: app.reference, scheme: 'HAF', programmeId: app.programmeId, createdAt: app.createdAt,
    status: applicationStatus(children.flatMap((c) => c.bookings.map((b) => b.status))), children,
  };
}
