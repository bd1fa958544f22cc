import type { Actions } from '../../shared/http/api-handler.ts';
import type { eligibilityRoutes } from '../../shared/http/routes/eligibility.ts';
import { checkEligibility, refreshCheck, viewCheck, type EligibilityDeps } from '../../shared/services/eligibility.ts';

export const eligibilityActions = (deps: EligibilityDeps): Actions<typeof eligibilityRoutes> => ({
  checkEligibility: async ({ body, client }) => ({ status: 201, body: await checkEligibility(deps, body, client) }),

  getEligibilityCheck: async ({ params }) => ({ status: 200, body: viewCheck(await refreshCheck(deps, params.checkId)) }),
});
