import { ReferralCreated, ReferralInput } from '../../schemas/applications.ts';
import { ReferrerReferralList, ReferrerReferralQuery } from '../../schemas/referrals.ts';
import { define } from '../route.ts';

/**
 * Partner staff with an account (group `referrer`): their referrals are acted on at once, and they see their
 * own. A function of its own: API Gateway verifies the token on these routes, and only here (a public route
 * gets no claims), so a referral skips the emailed confirmation only when it comes this way.
 */
export const referrerRoutes = define([
  { method: 'POST', path: '/v1/referrer/referrals', fn: 'referrer-api', role: 'referrer', operationId: 'createReferral',
    summary: 'Refer a family to Active Families or a young person for a Youth Card, signed in: acted on at once (the body of POST /v1/applications)',
    body: ReferralInput, response: ReferralCreated, success: [201], idempotent: 'action' },
  { method: 'GET', path: '/v1/referrer/referrals', fn: 'referrer-api', role: 'referrer', operationId: 'listReferrals',
    summary: 'The referrals you made signed in, with their status', query: ReferrerReferralQuery, response: ReferrerReferralList },
]);
