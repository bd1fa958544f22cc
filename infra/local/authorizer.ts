import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { staffClientId } from './issuer.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';

// The checks API Gateway's JWT authorizer makes, in its order: a bearer token, a `kid` in the
// JWKS, an RSA signature, `iss`, `exp`/`nbf`, then `aud` (or `client_id` when there is no `aud`)
// among the registered app clients. Anything else passes through to the handler untouched.

export type AuthResult = { ok: true; claims: JWTPayload } | { ok: false; reason: string };

export interface AuthorizerOptions {
  issuer: string;
  jwks: { keys: JWK[] };
  /** Whether a client id is an app client of the (local) user pool. */
  isAppClient: (clientId: string) => Promise<boolean>;
}

export function createAuthorizer({ issuer, jwks, isAppClient }: AuthorizerOptions) {
  const keySet = createLocalJWKSet(jwks);
  return async (authorization: string | undefined): Promise<AuthResult> => {
    // Like API Gateway, accept the token with or without the `Bearer ` prefix.
    const token = authorization?.trim().replace(/^bearer\s+/i, '');
    if (!token) return { ok: false, reason: 'missing token' };
    let payload: JWTPayload;
    try {
      if (!decodeProtectedHeader(token).kid) return { ok: false, reason: 'no kid in the token header' };
      ({ payload } = await jwtVerify(token, keySet, { issuer, algorithms: ['RS256', 'RS384', 'RS512'] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'the token has expired' };
      if (error instanceof errors.JOSEError) return { ok: false, reason: error.code };
      return { ok: false, reason: 'malformed token' };
    }
    const audiences = payload.aud !== undefined ? [payload.aud].flat() : [payload.client_id].filter((c) => typeof c === 'string');
    if (audiences.length === 0) return { ok: false, reason: 'no aud or client_id' };
    // A failing table lookup throws: that is the gateway's fault (500), not the caller's (401).
    const known = await Promise.all(audiences.map(isAppClient));
    if (!known.some(Boolean)) return { ok: false, reason: 'audience is not an app client' };
    return { ok: true, claims: payload };
  };
}

/**
 * App clients: the staff client plus each provider's client, found through the provider item's
 * `gsi1pk = CLIENT#<clientId>`. Answers are kept a few seconds, as API Gateway caches its JWKS,
 * so that a burst of requests costs one query.
 */
export function appClientLookup(doc: DynamoDBDocumentClient, tableName: string, ttlMs = 5_000) {
  const cache = new Map<string, { known: boolean; until: number }>();
  return async (clientId: string): Promise<boolean> => {
    if (clientId === staffClientId) return true;
    const hit = cache.get(clientId);
    if (hit && hit.until > Date.now()) return hit.known;
    const known = (await new CatalogueStore(doc, tableName).findProviderByClientId(clientId)) !== undefined;
    cache.set(clientId, { known, until: Date.now() + ttlMs });
    return known;
  };
}

/**
 * Claims as API Gateway passes them to a payload 2.0 integration: every value a string,
 * arrays as `[a b]` (space-separated in brackets), objects as JSON text, nulls left out.
 */
export function claimsAsApiGatewayPasses(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) out[name] = `[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(' ')}]`;
    else if (typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}
