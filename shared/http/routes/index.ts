import { routeKey, type RouteDef } from '../route.ts';
import { adminRoutes } from './admin.ts';
import { docsRoutes } from './docs.ts';
import { eligibilityRoutes } from './eligibility.ts';
import { financeRoutes } from './finance.ts';
import { providerRoutes } from './provider.ts';
import { publicRoutes } from './public.ts';
import { referrerRoutes } from './referrer.ts';
import { siteRoutes } from './site.ts';

// The one route table, joined from one file per function: CDK builds API Gateway from it, the local
// gateway serves it, and the OpenAPI document describes it. A function's own edge reads only its own
// file, so it loads only the schemas it serves.

export const routes = [...publicRoutes, ...eligibilityRoutes, ...adminRoutes, ...providerRoutes, ...docsRoutes,
  ...referrerRoutes, ...financeRoutes, ...siteRoutes] as const;

export type Route = (typeof routes)[number];
export type FunctionName = Route['fn'];
export type OperationId = Route['operationId'];

/** The functions that serve routes, in table order. */
export const functionNames = [...new Set(routes.map((r) => r.fn))] as FunctionName[];

export const routesOf = (fn: FunctionName): readonly RouteDef[] => routes.filter((r) => r.fn === fn);
export { routeKey };
export type { RouteDef };
