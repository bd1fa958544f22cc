import { apiHandler } from '../../shared/http/api-handler.ts';
import { openApiDocument } from '../../shared/http/openapi.ts';
import { docsRoutes } from '../../shared/http/routes/docs.ts';

/** GET /v1/openapi.json: the document generated from the route table and its zod schemas. */
export const handler = apiHandler(docsRoutes, { getOpenApi: async () => ({ status: 200, body: openApiDocument() }) });
