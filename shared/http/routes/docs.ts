import { define } from '../route.ts';

/** The API described for client developers: served by a function of its own, so no other carries the whole table's schemas. */
export const docsRoutes = define([
  { method: 'GET', path: '/v1/openapi.json', fn: 'docs', role: 'public', operationId: 'getOpenApi', summary: 'This document' },
]);
