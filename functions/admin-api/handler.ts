import { apiHandler } from '../../shared/http/api-handler.ts';
import { adminRoutes } from '../../shared/http/routes/admin.ts';
import { wire, wireIdempotency } from '../../shared/wiring.ts';
import { adminActions } from './actions.ts';

/** The programme team (group `admin`): programmes, providers, agreements, sessions, eligibility codes. */
const deps = wire();
export const handler = apiHandler(adminRoutes, adminActions(deps), { idempotency: wireIdempotency(deps) });
