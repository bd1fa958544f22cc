import type { APIGatewayProxyEventV2WithJWTAuthorizer as Event, Context } from 'aws-lambda';
import { eligibilityActions } from '../../functions/eligibility-api/actions.ts';
import { publicActions } from '../../functions/public-api/actions.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import type { Idempotency } from '../../shared/http/idempotency.ts';
import { eligibilityRoutes } from '../../shared/http/routes/eligibility.ts';
import { publicRoutes } from '../../shared/http/routes/public.ts';
import { routeKey } from '../../shared/http/route.ts';
import { type Deps, wireIdempotency } from '../../shared/wiring.ts';

/**
 * The parents' API as API Gateway presents it, over two functions: eligibility checks go to the
 * eligibility function, the rest to the public API, each with the same deps (one table, one clock).
 */
export function publicEdge(deps: Deps, opts: { idempotency?: Idempotency } = {}) {
  const pub = apiHandler(publicRoutes, publicActions(deps), opts);
  // Its checks keep their first answer per Idempotency-Key, as the function is wired.
  const eligibility = apiHandler(eligibilityRoutes, eligibilityActions(deps), { idempotency: opts.idempotency ?? wireIdempotency(deps) });
  const eligibilityKeys = new Set(eligibilityRoutes.map(routeKey));
  return (event: Event, context: Context) => (eligibilityKeys.has(event.routeKey) ? eligibility : pub)(event, context);
}
