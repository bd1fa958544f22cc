import { createHash } from 'node:crypto';

/** The caller's address as a digest: limits per client (wrong codes, DfE checks) without keeping an address. */
export const clientOf = (event: { requestContext: { http?: { sourceIp?: string } } }): string =>
  createHash('sha256').update(`client|${event.requestContext.http?.sourceIp ?? ''}`).digest('base64url').slice(0, 22);
