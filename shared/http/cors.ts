// CORS for the booking site: the CDK stack gives these to API Gateway, the local gateway applies them itself.
export const cors = {
  allowMethods: ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS'],
  allowHeaders: ['content-type', 'authorization', 'idempotency-key', 'x-manage-token', 'x-referrer-token', 'x-correlation-id'],
  exposeHeaders: ['x-correlation-id', 'retry-after', 'location', 'content-disposition', 'x-next-cursor'],
  maxAgeSeconds: 600,
} as const;

export const allowedOrigins = (csv: string) =>
  csv.split(',').map((s) => s.trim()).filter(Boolean);
