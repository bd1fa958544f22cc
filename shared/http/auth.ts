import { forbidden, unauthorised } from './problem.ts';
import { roles, type Role } from './roles.ts';

// Who is calling, from the claims API Gateway's JWT authorizer has already verified
// (locally the gateway verifies them the same way). Handlers never see raw tokens.

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'staff'; subject: string; groups: readonly string[] }
  | { kind: 'machine'; clientId: string; scopes: readonly string[] };

type Claims = Record<string, unknown> | undefined;

/** API Gateway passes array claims as text like `[admin finance]`; a local caller may pass a real array. */
function listClaim(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string' || v.trim() === '') return [];
  return v.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

export function principalFrom(claims: Claims): Principal {
  if (!claims) return { kind: 'anonymous' };
  const groups = listClaim(claims['cognito:groups']);
  const scopes = listClaim(claims.scope);
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
  if (groups.length > 0 && typeof claims.sub === 'string') return { kind: 'staff', subject: claims.sub, groups };
  if (clientId && scopes.length > 0) return { kind: 'machine', clientId, scopes };
  if (typeof claims.sub === 'string') return { kind: 'staff', subject: claims.sub, groups };
  return { kind: 'anonymous' };
}

/** A partner's member of staff signed in (group `referrer`): their referral is acted on without the emailed confirmation. */
export const signedInReferrer = (principal: Principal): { subject: string } | undefined =>
  principal.kind === 'staff' && principal.groups.includes('referrer') ? { subject: principal.subject } : undefined;

/** A machine client's scope, as Cognito writes it (`<resource server>/<role>`) or bare. */
const hasScope = (scopes: readonly string[], scope: string) => scopes.some((s) => s === scope || s.endsWith(`/${scope}`));

/** Throws 401 when nobody is signed in and 403 when the caller lacks the route's role (roles.ts). */
export function authorise(principal: Principal, role: Role): void {
  const kind = roles[role].kind;
  if (kind === 'public') return;
  if (principal.kind === 'anonymous') throw unauthorised();
  const allowed = kind === 'scope'
    ? principal.kind === 'machine' && hasScope(principal.scopes, role)
    : principal.kind === 'staff' && principal.groups.includes(role);
  if (!allowed) throw forbidden(`This route is for the ${role} role.`);
}
