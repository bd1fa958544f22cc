import { apiHandler } from '../../shared/http/api-handler.ts';
import { publicRoutes } from '../../shared/http/routes/public.ts';
import { wire, wireIdempotency } from '../../shared/wiring.ts';
import { publicActions } from './actions.ts';

/** Parents and referrers: the catalogue, eligibility checks, applications and cancellations. No token needed. */
const deps = wire();
export const handler = apiHandler(publicRoutes, publicActions(deps), { idempotency: wireIdempotency(deps) });
