import { apiHandler } from '../../shared/http/api-handler.ts';
import { publicRoutes } from '../../shared/http/routes/public.ts';
import { wire, wireIdempotency } from '../../shared/wiring.ts';
import { publicActions } from './actions.ts';

/** Parents and referrers: the catalogue, eligibility checks, applications and cancellations. No token needed. */
export const handler = apiHandler(publicRoutes, publicActions(wire()), { idempotency: wireIdempotency() });
