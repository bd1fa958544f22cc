// Who may call what. Each role is a Cognito group (staff, signed in) or an OAuth scope (machine clients,
// client credentials); the CDK stack, the local gateway, the local token issuer and the handlers' own
// check all read this, so a new role is one line here.

export const roles = {
  public: { kind: 'public', description: 'anyone: parents and referrers need no account' },
  admin: { kind: 'group', description: 'the programme team: programmes, providers, agreements, sessions, codes' },
  finance: { kind: 'group', description: 'finance officers: reconciliation, payments, returns' },
  provider: { kind: 'scope', description: 'provider systems: their own sessions, attendance lists and registers' },
  referrer: { kind: 'group', description: 'partner staff: their referrals, acted on at once, and their own list' },
} as const satisfies Record<string, { kind: 'public' | 'group' | 'scope'; description: string }>;

export type Role = keyof typeof roles;
export type GroupRole = { [R in Role]: (typeof roles)[R]['kind'] extends 'group' ? R : never }[Role];
export type ScopeRole = { [R in Role]: (typeof roles)[R]['kind'] extends 'scope' ? R : never }[Role];

const all = Object.entries(roles) as [Role, (typeof roles)[Role]][];
export const groupRoles = all.filter(([, r]) => r.kind === 'group').map(([name]) => name as GroupRole);
export const scopeRoles = all.filter(([, r]) => r.kind === 'scope').map(([name]) => name as ScopeRole);

/** The Cognito resource server machine scopes belong to: a token carries `family-services/provider`. */
export const resourceServer = 'family-services';
export const fullScope = (role: ScopeRole) => `${resourceServer}/${role}`;
