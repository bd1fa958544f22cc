import {
  ApplicationCreated, ApplicationInput, ApplicationView, BookingIdParam, CancellationResult, ManageTokenHeaders, ReferenceParam,
  ReferralConfirmed, ReferrerTokenHeaders,
} from '../../schemas/applications.ts';
import { ProgrammeList, ProgrammeQuery, SchemeList, SessionList, SessionQuery } from '../../schemas/catalogue.ts';
import { define } from '../route.ts';

/** Parents and referrers, no token: the catalogue, applications and cancellations. */
export const publicRoutes = define([
  { method: 'GET', path: '/v1/schemes', fn: 'public-api', role: 'public', operationId: 'listSchemes',
    summary: 'The schemes and their eligibility rules', response: SchemeList },
  { method: 'GET', path: '/v1/programmes', fn: 'public-api', role: 'public', operationId: 'listProgrammes',
    summary: 'Programmes with dates, booking window and days per child', query: ProgrammeQuery, response: ProgrammeList },
  { method: 'GET', path: '/v1/sessions', fn: 'public-api', role: 'public', operationId: 'listSessions',
    summary: 'Bookable sessions with remaining places (upcoming ones when no programme or date is given)',
    query: SessionQuery, response: SessionList, throttle: { rate: 500, burst: 1000 } },
  { method: 'POST', path: '/v1/applications', fn: 'public-api', role: 'public', operationId: 'createApplication',
    summary: 'Sign up to a scheme: for HAF, book places for one or more children; for Active Families and the Youth Card, a referral (acted on once its referrer confirms it from the emailed link)',
    body: ApplicationInput,
    response: ApplicationCreated, success: [201], idempotent: 'action', token: 'optional', throttle: { rate: 200, burst: 400 } },
  { method: 'GET', path: '/v1/applications/{reference}', fn: 'public-api', role: 'public', operationId: 'getApplication',
    summary: "An application's bookings as they stand (needs the X-Manage-Token header)", params: ReferenceParam, headers: ManageTokenHeaders,
    response: ApplicationView, failures: [409] },
  { method: 'DELETE', path: '/v1/bookings/{bookingId}', fn: 'public-api', role: 'public', operationId: 'cancelBooking',
    summary: 'Cancel a place (needs the X-Manage-Token header); the next child on the waitlist is offered it',
    params: BookingIdParam, headers: ManageTokenHeaders, response: CancellationResult },
  { method: 'POST', path: '/v1/applications/{reference}/referrer-confirmation', fn: 'public-api', role: 'public', operationId: 'confirmReferral',
    summary: 'The referrer confirms a referral (the X-Referrer-Token from the emailed link, valid 7 days); it is then placed with a provider or waits',
    params: ReferenceParam, headers: ReferrerTokenHeaders, response: ReferralConfirmed, success: [200], throttle: { rate: 50, burst: 100 } },
]);
