import { CheckIdParam, EligibilityCheck, EligibilityCheckInput } from '../../schemas/eligibility.ts';
import { define } from '../route.ts';

/**
 * Parents and referrers, no token: free school meal checks. A function of their own, as the only one
 * that talks to DfE: it alone holds the DfE secret, and a slow DfE holds up no booking.
 */
export const eligibilityRoutes = define([
  { method: 'POST', path: '/v1/eligibility-checks', fn: 'eligibility-api', role: 'public', operationId: 'checkEligibility',
    summary: 'Free school meal check of a parent (with DfE) or of a council-issued code', body: EligibilityCheckInput,
    response: EligibilityCheck, success: [201], idempotent: 'record', throttle: { rate: 100, burst: 200 } },
  { method: 'GET', path: '/v1/eligibility-checks/{checkId}', fn: 'eligibility-api', role: 'public', operationId: 'getEligibilityCheck',
    summary: 'Ask again about a check that was pending', params: CheckIdParam, response: EligibilityCheck },
]);
