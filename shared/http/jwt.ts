import type { JWTPayload, JWTVerifyGetKey } from 'jose';

// The checks API Gateway's JWT authorizer makes, in its order: a bearer token, a `kid` in the JWKS, an RSA
// signature, `iss`, `exp`/`nbf`, then `aud` (or `client_id` when there is no `aud`) among the app clients.
// The local gateway makes them for every route with a role; a function makes them itself only for a public
// route that also takes a signed-in caller (`token: 'optional'`), since an HTTP API route has one authorizer or none.
// jose loads with the first token: the public API's parents send none, so its cold start does not evaluate it.

export type AuthResult = { ok: true; claims: JWTPayload } | { ok: false; reason: string };
/** A well-signed token of the pool from an app client this check does not take (e.g. a provider's, where staff are asked). */
export const otherClient = 'audience is not an app client';
export type TokenVerifier = (authorization: string | undefined) => Promise<AuthResult>;

export interface VerifierOptions {
  issuer: string;
  keys: JWTVerifyGetKey;
  /** Whether a client id is one of the user pool's app clients this API accepts. */
  isAppClient: (clientId: string) => Promise<boolean>;
}

export function tokenVerifier({ issuer, keys, isAppClient }: VerifierOptions): TokenVerifier {
  return async (authorization) => {
    // Like API Gateway, accept the token with or without the `Bearer ` prefix.
    const token = authorization?.trim().replace(/^bearer\s+/i, '');
    if (!token) return { ok: false, reason: 'missing token' };
    const { decodeProtectedHeader, errors, jwtVerify } = await import('./jose.ts');
    let payload: JWTPayload;
    try {
      if (!decodeProtectedHeader(token).kid) return { ok: false, reason: 'no kid in the token header' };
      ({ payload } = await jwtVerify(token, keys, { issuer, algorithms: ['RS256', 'RS384', 'RS512'] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'the token has expired' };
      if (error instanceof errors.JOSEError) return { ok: false, reason: error.code };
      return { ok: false, reason: 'malformed token' };
    }
    const audiences = payload.aud !== undefined ? [payload.aud].flat() : [payload.client_id].filter((c) => typeof c === 'string');
    if (audiences.length === 0) return { ok: false, reason: 'no aud or client_id' };
    // A failing lookup throws: that is the service's fault (500), not the caller's (401).
    const known = await Promise.all(audiences.map(isAppClient));
    if (!known.some(Boolean)) return { ok: false, reason: otherClient };
    return { ok: true, claims: payload };
  };
}

/** Where no issuer is configured: a token cannot be checked, so it is refused rather than ignored. */
export const refuseEveryToken: TokenVerifier = async () => ({ ok: false, reason: 'no issuer configured' });

/**
 * A function's own verifier for staff tokens (the staff app client only), from JWT_ISSUER and JWT_CLIENT_IDS;
 * the keys are fetched from the issuer's JWKS when a token first arrives, and kept (jose refetches on a new kid).
 * With no issuer configured every token is refused: a 401 says so, where ignoring it would quietly change the answer.
 */
export function staffTokenVerifier(issuer: string | undefined, clientIds: readonly string[]): TokenVerifier {
  if (!issuer) return refuseEveryToken;
  let remote: Promise<JWTVerifyGetKey> | undefined;
  const keys: JWTVerifyGetKey = async (header, token) => {
    remote ??= import('./jose.ts').then(({ createRemoteJWKSet }) =>
      createRemoteJWKSet(new URL(`${issuer.replace(/\/$/, '')}/.well-known/jwks.json`), { timeoutDuration: 3_000 }));
    return (await remote)(header, token);
  };
  return tokenVerifier({ issuer, keys, isAppClient: async (id) => clientIds.includes(id) });
}
