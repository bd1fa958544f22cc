import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { fullScope, roles, type Role, type ScopeRole } from '../../shared/http/roles.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';

// The local stand-in for Cognito: signs access tokens with the claims Cognito puts in them,
// so handlers see locally exactly what the JWT authorizer hands them in AWS.

export const staffClientId = 'local-staff-client';
const issuerPath = '/local-issuer';
/** Where a Cognito user pool keeps its keys, under its issuer: a function fetching them finds them the same way here. */
export const jwksPath = `${issuerPath}/.well-known/jwks.json`;
export const issuerUrl = (gatewayUrl: string) => `${gatewayUrl}${issuerPath}`;
/** Every role that a token can carry (roles.ts); `npm run token` takes any of them. */
export type TokenRole = Exclude<Role, 'public'>;
export const tokenRoles = (Object.keys(roles) as Role[]).filter((r): r is TokenRole => roles[r].kind !== 'public');
export const isMachineRole = (role: TokenRole): role is ScopeRole => roles[role].kind === 'scope';

export interface Issuer {
  /** The `iss` claim, e.g. http://127.0.0.1:3000/local-issuer */
  url: string;
  kid: string;
  privateKey: CryptoKey;
  /** Public keys only, as the gateway serves them. */
  jwks: { keys: JWK[] };
}

interface IssuerFile {
  kid: string;
  privateJwk: JWK;
  issuer: string;
  staffClientId: string;
}

export async function createIssuer(gatewayUrl: string): Promise<Issuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `local-${randomUUID().slice(0, 8)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { url: issuerUrl(gatewayUrl), kid, privateKey, jwks: { keys: [publicJwk] } };
}

/** Written while the stack runs so `npm run token` (another process) can sign with the same key. */
export async function saveIssuer(file: string, issuer: Issuer): Promise<void> {
  const body: IssuerFile = {
    kid: issuer.kid,
    privateJwk: { ...(await exportJWK(issuer.privateKey)), kid: issuer.kid, alg: 'RS256' },
    issuer: issuer.url,
    staffClientId,
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
}

export async function loadIssuer(file: string): Promise<Issuer> {
  const saved = JSON.parse(await readFile(file, 'utf8')) as IssuerFile;
  const privateKey = (await importJWK(saved.privateJwk, 'RS256')) as CryptoKey;
  return { url: saved.issuer, kid: saved.kid, privateKey, jwks: { keys: [] } };
}

/** A fixed subject per staff role, so that audit fields stay the same across restarts. */
const staffSubject = (role: string) => `0c1d2e3f-0000-4000-8000-${Buffer.from(role).toString('hex').padEnd(12, '0').slice(0, 12)}`;

/**
 * Claims as Cognito issues them: a staff role gets a user access token carrying `cognito:groups`; a machine
 * role gets a client-credentials token whose `sub` and `client_id` are its app client and whose scope is the
 * role's. `overrides` lets tests forge expired or foreign tokens with otherwise real claims.
 */
export function tokenClaims(issuer: Issuer, role: TokenRole, machineClientId?: string, overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  const common = { iss: issuer.url, token_use: 'access', auth_time: now, iat: now, exp: now + 3600, jti: randomUUID(), version: 2 };
  if (isMachineRole(role)) {
    if (!machineClientId) throw new Error(`A ${role} token needs the app client id.`);
    return { ...common, sub: machineClientId, client_id: machineClientId, scope: fullScope(role), ...overrides };
  }
  return {
    ...common,
    sub: staffSubject(role),
    'cognito:groups': [role],
    client_id: staffClientId,
    username: `local-${role}`,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    scope: 'aws.cognito.signin.user.admin',
    ...overrides,
  };
}

export async function signToken(issuer: Issuer, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: issuer.kid, typ: 'JWT' }).sign(issuer.privateKey);
}

/** The provider's app client id, from its record in the table. */
export async function providerClientId(doc: DynamoDBDocumentClient, tableName: string, providerId: string): Promise<string> {
  const clientId: unknown = (await new CatalogueStore(doc, tableName).getProvider(providerId))?.clientId;
  if (typeof clientId !== 'string' || clientId === '') {
    throw new Error(
      `No provider "${providerId}" (with a clientId) in table ${tableName}. ` +
        'Check the provider id (npm start lists the seeded ones) and that `npm start` is running.',
    );
  }
  return clientId;
}
