import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery, FeaturePlan, Mfa, OAuthScope, ResourceServerScope, StandardThreatProtectionMode, UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { groupRoles, resourceServer, roles, scopeRoles } from '../../shared/http/roles.ts';

export interface AuthProps {
  /** Where staff land after signing in (authorization code flow). */
  staffCallbackUrls: string[];
  staffLogoutUrls: string[];
  /** Prefix of the Cognito sign-in domain; unique per region. */
  domainPrefix: string;
  /** Providers that get a machine app client made here (client credentials). */
  providerIds: string[];
  /** App clients made outside this stack (console/CLI) whose tokens the API also accepts. */
  providerClientIds: string[];
}

/** Staff sign in as users (a group per staff role); provider systems as machine clients (a scope per machine role). */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly staffClient: UserPoolClient;
  readonly providerClients: ReadonlyMap<string, UserPoolClient>;
  /** The scope a provider token carries, as Cognito writes it: `family-services/provider`. */
  readonly providerScope: string;
  readonly authorizer: HttpJwtAuthorizer;
  /** The user pool's `iss`: a function checking a staff token itself trusts only this. */
  readonly issuer: string;
  readonly domainUrl: string;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false, // the programme team invites staff; nobody registers themselves
      signInAliases: { email: true },
      signInCaseSensitive: false,
      // Staff see children's medical and SEND notes: MFA for everyone, authenticator apps only (no SMS costs or SIM swaps).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus tier for threat protection (leaked passwords, risky sign-ins) on a few dozen staff: pennies a month.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of groupRoles) {
      this.userPool.addGroup(`${group}Group`, { groupName: group, description: `Staff with the ${group} role: ${roles[group].description}` });
    }

    const scopes = scopeRoles.map((role) => new ResourceServerScope({ scopeName: role, scopeDescription: roles[role].description }));
    const server = this.userPool.addResourceServer('ResourceServer', { identifier: resourceServer, scopes });
    const providerScope = scopes[scopeRoles.indexOf('provider')]!;
    this.providerScope = `${resourceServer}/${providerScope.scopeName}`;

    const domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.domainUrl = domain.baseUrl();

    this.staffClient = this.userPool.addClient('StaffClient', {
      userPoolClientName: 'staff',
      generateSecret: false, // a browser app cannot keep a secret; PKCE protects the code exchange
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: props.staffCallbackUrls,
        logoutUrls: props.staffLogoutUrls,
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12), // one working day
    });

    this.providerClients = new Map(props.providerIds.map((providerId) => [providerId, this.userPool.addClient(`Provider-${providerId}`, {
      userPoolClientName: `provider-${providerId}`,
      generateSecret: true, // client credentials: the provider's server holds the secret
      oAuth: { flows: { clientCredentials: true }, scopes: [OAuthScope.resourceServer(server, providerScope)] },
      accessTokenValidity: Duration.hours(1),
    })]));

    // Cognito access tokens have no `aud`; API Gateway then matches `client_id` against this audience list.
    const audience = [
      this.staffClient.userPoolClientId,
      ...[...this.providerClients.values()].map((c) => c.userPoolClientId),
      ...props.providerClientIds,
    ];
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', this.issuer, { jwtAudience: audience });
  }
}
