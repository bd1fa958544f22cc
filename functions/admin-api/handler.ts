import { apiHandler } from '../../shared/http/api-handler.ts';
import { wire, wireIdempotency } from '../../shared/wiring.ts';
import { adminActions } from './actions.ts';

/** The programme team (group `admin`): programmes, providers, agreements, sessions, eligibility codes. */
export const handler = apiHandler('admin-api', adminActions(wire()), { idempotency: wireIdempotency() });
