import { dfeClientFromConfig } from '../../shared/eligibility/dfe-client.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { eligibilityRoutes } from '../../shared/http/routes/eligibility.ts';
import { EligibilityStore } from '../../shared/store/eligibility.ts';
import { RequestStore } from '../../shared/store/requests.ts';
import { ThrottleStore } from '../../shared/store/throttle.ts';
import { system, table, wireIdempotency } from '../../shared/wiring.ts';
import { requestDigestFromConfig } from '../../shared/secrets/request-digest.ts';
import { eligibilityActions } from './actions.ts';

const { db, name } = table();
const deps = {
  eligibility: new EligibilityStore(db, name), throttle: new ThrottleStore(db, name), requests: new RequestStore(db, name),
  checker: dfeClientFromConfig(), ...system, requestDigest: requestDigestFromConfig(),
};

/** Free school meal checks, with DfE or of a council code; the one function holding the DfE secret. */
export const handler = apiHandler(eligibilityRoutes, eligibilityActions(deps), { idempotency: wireIdempotency(deps) });
