import type * as z from 'zod/mini';
import type { CsvView } from './csv.ts';
import type { Role } from './roles.ts';

// The shape of a row in the route table (shared/http/routes/): read by the CDK stack (routes, authorizer,
// throttling), the local gateway (the same routes over HTTP), each function's edge (validation) and the
// OpenAPI document. A row names schemas only, never handler code, so CDK and the gateway stay light.

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface RouteDef {
  method: Method;
  path: string;
  fn: string;
  role: Role;
  operationId: string;
  summary: string;
  /** `api` (JSON, in the OpenAPI document) or `page` (the booking site's HTML and form posts, left out of it). */
  kind?: 'api' | 'page';
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** Request headers the route reads (lower-case names), validated at the edge and documented. */
  headers?: z.ZodMiniObject | z.ZodMiniLazy<z.ZodMiniObject>;
  body?: z.ZodMiniType;
  response?: z.ZodMiniType;
  /** Statuses the route answers with on success, first is the usual one. */
  success?: readonly number[];
  /** Failure statuses beyond those the edge derives from the route's shape (e.g. 409 from a GET). */
  failures?: readonly number[];
  /**
   * A create that honours the Idempotency-Key header: `record` keeps the first answer at the edge and
   * gives it to a retry; `action` leaves it to the action, whose own first write is keyed on it.
   */
  idempotent?: 'record' | 'action';
  /**
   * A public route that also takes a signed-in caller (a referrer's token on POST /v1/applications): an HTTP
   * API route has one authorizer or none, so the function verifies a token sent here itself (shared/http/jwt.ts).
   */
  token?: 'optional';
  /** Steady-state requests per second and burst for this route (API Gateway stage throttling). */
  throttle?: { rate: number; burst: number };
  /** A list also served as CSV (`Accept: text/csv` or `?format=csv`); the edge owns the `format` parameter. */
  csv?: CsvView;
  /** A page that needs no visitor session (it has no form): the site writes nothing for it. */
  sessionless?: true;
  /** Its answers are files with hashed, immutable names, the same for everyone: CloudFront may keep them. Nothing else is cached. */
  cacheable?: true;
}

/** What an action answers: a status, a body the edge serialises (JSON or CSV), and any headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Keeps each row's literal types (operation ids, function names), so the compiler can check every action exists. */
export const define = <const T extends readonly RouteDef[]>(routes: T) => routes;

/** API Gateway's route key, e.g. `GET /v1/sessions`. */
export const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
