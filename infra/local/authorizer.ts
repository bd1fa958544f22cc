import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLocalJWKSet, type JWK, type JWTPayload } from 'jose';
import { staffClientId } from './issuer.ts';
import { tokenVerifier, type TokenVerifier } from '../../shared/http/jwt.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';

// The local gateway's JWT authorizer: the checks API Gateway makes (shared/http/jwt.ts) against the local
// issuer's keys and the registered app clients. Anything else passes through to the handler untouched.

export type { AuthResult } from '../../shared/http/jwt.ts';

export interface AuthorizerOptions {
  issuer: string;
  jwks: { keys: JWK[] };
  /** Whether a client id is an app client of the (local) user pool. */
  isAppClient: (clientId: string) => Promise<boolean>;
}

export const createAuthorizer = ({ issuer, jwks, isAppClient }: AuthorizerOptions): TokenVerifier =>
  tokenVerifier({ issuer, keys: createLocalJWKSet(jwks), isAppClient });

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
