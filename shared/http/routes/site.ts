import * as z from 'zod/mini';
import { BookingIdParam, ReferenceParam } from '../../schemas/applications.ts';
import { built, lazily } from '../../schemas/lazily.ts';
import { define } from '../route.ts';

// The booking site's pages (API.md, "The booking site"): HTML and form posts served by the `site` function
// over the same services as the API. The OpenAPI document leaves them out (kind: 'page').

const ChildParam = lazily(() => z.object({ child: z.pipe(z.string().check(z.regex(/^[1-8]$/)), z.transform(Number)) }));
/** `?change=1` on a step reached from "check your answers": saving it goes back there. */
const ChangeQuery = lazily(() => z.object({ change: z.optional(z.literal('1')) }));
const SessionFilters = lazily(() => z.object({
  district: z.optional(z.string().check(z.maxLength(60))), date: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))),
  change: z.optional(z.literal('1')),
}));
/** The referrer's emailed link: its reference and secret (API.md, POST …/referrer-confirmation). Read as given; checked when posted. */
const ReferralLinkQuery = lazily(() => z.object({
  reference: z.optional(z.string().check(z.maxLength(40))), token: z.optional(z.string().check(z.maxLength(100))),
}));
const AssetParam = lazily(() => z.object({ file: z.string().check(z.regex(/^[a-z0-9.-]{1,80}$/)) }));

const page = { fn: 'site', role: 'public', kind: 'page' } as const;
const info = { ...page, sessionless: true } as const;

export const siteRoutes = define([
  { method: 'GET', path: '/', ...info, operationId: 'startPage', summary: 'Start: what the service is and what you need' },
  { method: 'GET', path: '/no-code', ...info, operationId: 'noCodePage', summary: 'What to do without an eligibility code' },
  { method: 'GET', path: '/accessibility', ...info, operationId: 'accessibilityPage', summary: 'Accessibility statement' },
  { method: 'GET', path: '/privacy', ...info, operationId: 'privacyPage', summary: 'How we use your information' },
  { method: 'GET', path: '/cookies', ...info, operationId: 'cookiesPage', summary: 'The one cookie the site sets' },
  { method: 'GET', path: '/assets/{file}', ...info, operationId: 'asset', summary: 'Stylesheets, scripts and icons', params: AssetParam, cacheable: true },

  { method: 'GET', path: '/programmes', ...page, operationId: 'programmesPage', summary: 'Choose a holiday' },
  { method: 'POST', path: '/programmes', ...page, operationId: 'chooseProgramme', summary: 'Choose a holiday' },
  { method: 'GET', path: '/eligibility', ...page, operationId: 'eligibilityPage', summary: 'How to show you can get free school meals' },
  { method: 'POST', path: '/eligibility', ...page, operationId: 'chooseEligibilityRoute', summary: 'Code or details' },
  { method: 'GET', path: '/eligibility/code', ...page, operationId: 'codePage', summary: 'Enter your code' },
  { method: 'POST', path: '/eligibility/code', ...page, operationId: 'checkCode', summary: 'Check a code' },
  { method: 'GET', path: '/eligibility/details', ...page, operationId: 'detailsCheckPage', summary: 'Check with your details' },
  { method: 'POST', path: '/eligibility/details', ...page, operationId: 'checkDetails', summary: 'Check your details with DfE' },
  { method: 'GET', path: '/eligibility/result', ...page, operationId: 'eligibilityResultPage', summary: 'The answer to a check' },
  { method: 'POST', path: '/eligibility/result', ...page, operationId: 'askAgain', summary: 'Ask again about a pending check' },
  { method: 'GET', path: '/your-details', ...page, operationId: 'parentPage', summary: 'Your details', query: ChangeQuery },
  { method: 'POST', path: '/your-details', ...page, operationId: 'saveParent', summary: 'Your details' },
  { method: 'GET', path: '/children', ...page, operationId: 'childrenPage', summary: 'Your children' },
  { method: 'POST', path: '/children', ...page, operationId: 'childrenAction', summary: 'Add, remove or go on' },
  { method: 'GET', path: '/children/{child}', ...page, operationId: 'childPage', summary: 'A child\'s details', params: ChildParam, query: ChangeQuery },
  { method: 'POST', path: '/children/{child}', ...page, operationId: 'saveChild', summary: 'A child\'s details', params: ChildParam },
  { method: 'GET', path: '/children/{child}/sessions', ...page, operationId: 'sessionsPage', summary: 'Choose sessions for a child', params: ChildParam, query: SessionFilters },
  { method: 'POST', path: '/children/{child}/sessions', ...page, operationId: 'saveSessions', summary: 'Choose sessions for a child', params: ChildParam, query: SessionFilters },
  { method: 'GET', path: '/check-answers', ...page, operationId: 'checkAnswersPage', summary: 'Check your answers' },
  // Keyed on the visitor's session, as an API sign-up on its Idempotency-Key: a second press of the button books nothing twice.
  { method: 'POST', path: '/check-answers', ...page, operationId: 'book', summary: 'Book the places', idempotent: 'action' },
  { method: 'GET', path: '/confirmation', ...page, operationId: 'confirmationPage', summary: 'What was booked' },
  { method: 'GET', path: '/applications/{reference}', ...page, operationId: 'managePage', summary: 'Your bookings', params: ReferenceParam },
  { method: 'POST', path: '/applications/{reference}', ...page, operationId: 'openApplication', summary: 'Enter your manage code', params: ReferenceParam },
  { method: 'GET', path: '/applications/{reference}/cancel/{bookingId}', ...page, operationId: 'cancelPage', summary: 'Cancel a place', params: lazily(() => z.extend(built(ReferenceParam), built(BookingIdParam).shape)) },
  { method: 'POST', path: '/applications/{reference}/cancel/{bookingId}', ...page, operationId: 'cancelPlace', summary: 'Cancel a place', params: lazily(() => z.extend(built(ReferenceParam), built(BookingIdParam).shape)) },

  // A referrer confirms an Active Families or Youth Card referral from the emailed link: a page with a button,
  // since a GET never confirms (mail scanners follow links).
  { method: 'GET', path: '/referrals/confirm', ...page, operationId: 'referralConfirmPage', summary: 'Confirm a referral', query: ReferralLinkQuery },
  { method: 'POST', path: '/referrals/confirm', ...page, operationId: 'confirmReferralPage', summary: 'Confirm a referral' },
  { method: 'GET', path: '/referrals/confirmed', ...page, operationId: 'referralConfirmedPage', summary: 'A referral confirmed', query: ReferralLinkQuery },
]);
