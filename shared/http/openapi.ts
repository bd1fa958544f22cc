import * as z from 'zod/mini';
import { Problem } from '../schemas/common.ts';
import type { RouteDef } from './route.ts';
import { routes } from './routes/index.ts';

// The OpenAPI 3.1 document, generated from the route table and its zod schemas, so the
// document cannot drift from what the handlers actually accept.

const json = (schema: z.ZodMiniType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

const header = (description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ description, schema });
/** Headers the edge puts on answers. */
const correlation = { 'X-Correlation-Id': header('echoes a well-formed X-Correlation-Id sent, or names this request') };
const retryAfter = { 'Retry-After': header('seconds to wait before trying again', { type: 'integer', minimum: 1 }) };

const problem = (headers: Record<string, unknown> = {}) => ({
  description: 'Problem (RFC 9457)', headers: { ...correlation, ...headers },
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function parameters(route: RouteDef) {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', route.params], ['query', route.query], ['header', route.headers]] as const) {
    if (!schema) continue;
    const s = json(schema, 'input') as { properties?: Record<string, { description?: string }>; required?: string[] };
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      // A route that reads a header needs it, even where the edge lets its absence through to a 404.
      const required = where !== 'query' || (s.required ?? []).includes(name);
      out.push({ name: where === 'header' ? headerName(name) : name, in: where, required, schema: prop, ...(prop.description ? { description: prop.description } : {}) });
    }
  }
  if (route.idempotent) {
    out.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 128 },
      description: 'a retry with the same key and body gets the first answer and creates nothing new; the same key with another body is a 422' });
  }
  // The edge owns `format` on routes with a CSV view, so no route schema names it.
  if (route.csv) {
    out.push({ name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'csv'] },
      description: 'csv for a CSV download (as with Accept: text/csv); JSON by default' });
  }
  return out;
}

/** `x-manage-token` → `X-Manage-Token`, as the contract writes header names. */
const headerName = (name: string) => name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('-');

function operation(route: RouteDef) {
  const statuses = route.success ?? [route.method === 'POST' ? 201 : 200];
  const csv = route.csv ? { 'text/csv': { schema: { type: 'string', description: `columns: ${route.csv.columns.join(', ')}` } } } : {};
  const ok = route.response
    ? { content: { 'application/json': { schema: json(route.response, 'output') }, ...csv } }
    : {};
  const successHeaders = {
    ...correlation,
    ...(statuses.includes(201) && route.method === 'POST' ? { Location: header('where the new resource can be read') } : {}),
    ...(route.csv ? { 'X-Next-Cursor': header('with CSV: the cursor of the next page (JSON has it in the body)') } : {}),
  };
  const responses: Record<string, unknown> = Object.fromEntries(statuses.map((s) => [String(s), { description: 'Success', headers: successHeaders, ...ok }]));
  const failures = new Set([
    422, 429, 503, ...(route.body ? [400, 413, 415] : []), ...(route.role === 'public' ? [] : [401, 403]),
    // A path with an id can name something that is not there (or not yours); a change can meet a state that forbids it.
    ...(route.params ? [404] : []), ...(route.method !== 'GET' ? [409] : []), ...(route.failures ?? []),
  ]);
  for (const status of [...failures].sort()) {
    responses[String(status)] = problem(status === 429 || status === 503 || status === 409 ? retryAfter : {});
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.role],
    ...(route.role === 'public' ? { security: [] } : {}),
    parameters: parameters(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(route.body, 'input') } } } } : {}),
    responses,
  };
}

let cached: unknown;

export function openApiDocument(): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  // Pages of the booking site are HTML for people, not part of the JSON API.
  for (const route of routes.filter((r: RouteDef) => r.kind !== 'page')) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Family services enrolment and grants API',
      version: '1.0.0',
      description: 'HAF holiday club bookings, Active Families and Youth Card referrals, provider registers and grant reconciliation.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: json(Problem, 'output') },
    },
    paths,
  };
  return cached;
}
