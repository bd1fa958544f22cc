import { join } from 'node:path';
import { CfnOutput, CrossStackReferences, Lazy, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CouncilProfile } from '../shared/council/profile.ts';
import { functionNames, routes, routesOf } from '../shared/http/routes/index.ts';
import type { RouteDef } from '../shared/http/route.ts';
import { functions as contracts, type FunctionId } from '../shared/runtime.ts';
import { Api } from './constructs/api.ts';
import { Auth } from './constructs/auth.ts';
import { Data } from './constructs/data.ts';
import { DfeAccess } from './constructs/dfe.ts';
import { Edge } from './constructs/edge.ts';
import { Email } from './constructs/email.ts';
import { projectRoot } from './bundling/options.ts';
import { AppFunction, type AppFunctionProps } from './constructs/lambda.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Notifier } from './constructs/notifier.ts';
import { RequestDigestSecret } from './constructs/request-digest.ts';

export interface FamilyServicesProps extends StackProps {
  stage: string;
  /** Origins allowed by CORS (pages of other sites that call the API from the browser). */
  allowedOrigins: string[];
  /**
   * The booking site's public URL, in emails and the staff sign-in's callbacks. With `certificateArn`, the
   * distribution answers on its host name; without a siteUrl, the site is the distribution's own address.
   */
  siteUrl?: string;
  /** An ACM certificate in us-east-1 for siteUrl's host name. */
  certificateArn?: string;
  /** The WAF web ACL for the distribution: the edge stack's (infra/edge-stack.ts), or one given by ARN. */
  webAclArn: string;
  mailDomain: string;
  /** Providers that get a Cognito machine client made by this stack. */
  providerIds: string[];
  /** Provider app clients made outside the stack that the API also accepts. */
  providerClientIds: string[];
  authDomainPrefix: string;
  alarmTopicArn?: string;
  /**
   * DfE's eligibility checking API and the Secrets Manager secret ({ clientId, clientSecret }) holding the
   * council's credentials for it. Without it, eligibility is by council-issued codes only.
   */
  dfe?: { apiUrl: string; secretName: string };
  /** The council this deployment serves (its profile, without the local demo data, goes to every function). */
  council: CouncilProfile;
  /** The tree holding `functions/<name>/handler.ts` and the lock file; tests point it at stubs. */
  projectRoot?: string;
}

export class FamilyServicesStack extends Stack {
  constructor(scope: Construct, id: string, props: FamilyServicesProps) {
    super(scope, id, props);
    // The WAF's ARN comes from the us-east-1 edge stack's outputs (Fn::GetStackOutput): no export-reader and -writer
    // Lambdas in either region, and nothing to untangle if the web ACL is replaced. WAF itself refuses to delete a web
    // ACL a distribution still uses.
    CrossStackReferences.of(this).consume(ReferenceStrength.WEAK);
    const root = props.projectRoot ?? projectRoot;
    // The distribution is made after the functions (it fronts their API), so its address is read when synthesized.
    let edge: Edge | undefined;
    const siteUrl = props.siteUrl ?? Lazy.string({ produce: () => edge!.url });
    const monitoring = new Monitoring(this, 'Monitoring', { alarmTopicArn: props.alarmTopicArn });
    const functionsDir = join(root, 'functions');
    const { table } = new Data(this, 'Data');
    const email = new Email(this, 'Email', { domain: props.mailDomain });
    const auth = new Auth(this, 'Auth', {
      staffCallbackUrls: [`${siteUrl}/staff/callback`],
      staffLogoutUrls: [`${siteUrl}/staff`],
      domainPrefix: props.authDomainPrefix,
      providerIds: props.providerIds,
      providerClientIds: props.providerClientIds,
    });

    const { demo, ...profile } = props.council;
    const environment = {
      MAIL_FROM: email.from,
      ALLOWED_ORIGINS: props.allowedOrigins.join(','),
      SITE_URL: siteUrl,
      COUNCIL_PROFILE: JSON.stringify(profile),
    };
    const makeFunction = (name: FunctionId, extra: Partial<AppFunctionProps> = {}) => {
      const contract = contracts[name];
      const fn = new AppFunction(this, pascal(name), {
        entry: join(functionsDir, name, 'handler.ts'), service: name, contract,
        projectRoot: root, depsLockFilePath: join(root, 'package-lock.json'), ...extra,
        environment: { ...environment, ...extra.environment },
      });
      fn.grantTable(table, contract.table);
      monitoring.watchFunction(name, pascal(name), fn);
      return fn;
    };

    // One function per audience in the route table: a new name there and its routes need no change here.
    const dfe = props.dfe && new DfeAccess(this, 'Dfe', props.dfe);
    // Only the functions that check eligibility talk to DfE (the API's, the booking site's, and the public API's,
    // which asks again about a check DfE had not decided): they alone get the address, the secret and the extension.
    const checksEligibility = (name: string) => name === 'eligibility-api' || name === 'site' || name === 'public-api';
    // The booking site's stylesheet and scripts travel beside its code, not inside it (shared/site/assets.ts).
    const siteFiles: Partial<AppFunctionProps> = { bundling: { commandHooks: {
      beforeBundling: () => [], beforeInstall: () => [],
      afterBundling: (input, output) => [`mkdir -p ${output}/generated && cp -r ${input}/shared/site/generated/static ${output}/generated/static`],
    } } };
    // A function serving a public route that also takes a staff token (a referrer's) checks it itself, against the pool.
    const staffToken = { environment: { JWT_ISSUER: auth.issuer, JWT_CLIENT_IDS: auth.staffClient.userPoolClientId } };
    const checksTokens = (name: string) => (routes as readonly RouteDef[]).some((r) => r.fn === name && r.token === 'optional');
    // Only the functions with a route that takes an Idempotency-Key read the request digest secret.
    const digests = new RequestDigestSecret(this, 'RequestDigest');
    const takesIdempotentRequests = (name: FunctionId) => routesOf(name as (typeof functionNames)[number]).some((r) => r.idempotent);
    const extraFor = (name: FunctionId): Partial<AppFunctionProps> => {
      const parts = [checksEligibility(name) ? dfe?.functionProps : undefined, takesIdempotentRequests(name) ? digests.functionProps : undefined,
        name === 'site' ? siteFiles : undefined, checksTokens(name) ? staffToken : undefined].filter((p): p is Partial<AppFunctionProps> => p !== undefined);
      return Object.assign({}, ...parts, { environment: Object.assign({}, ...parts.map((p) => p.environment)) });
    };
    const apiFunctions = new Map(functionNames.map((name) => [name, makeFunction(name, extraFor(name))]));
    if (dfe) for (const name of functionNames.filter(checksEligibility)) dfe.secret.grantRead(apiFunctions.get(name)!);
    for (const name of functionNames.filter(takesIdempotentRequests)) digests.secret.grantRead(apiFunctions.get(name)!);
    const api = new Api(this, 'Api', {
      routes,
      functions: apiFunctions,
      authorizer: auth.authorizer,
      allowedOrigins: props.allowedOrigins,
    });
    monitoring.watchApi(api.httpApi, api.accessLogs);
    edge = new Edge(this, 'Edge', {
      apiDomain: api.domainName, routes, webAclArn: props.webAclArn,
      domain: props.certificateArn && props.siteUrl ? { name: new URL(props.siteUrl).host, certificateArn: props.certificateArn } : undefined,
    });

    const notifier = makeFunction('notifier');
    const notifications = new Notifier(this, 'Notifications', { fn: notifier, stream: contracts.notifier.stream, table, email });
    monitoring.add(...notifications.alarms);
    monitoring.watchEmail(email);

    new CfnOutput(this, 'Url', { value: edge.url, description: 'The address to use: the booking site and the API (/v1/), behind CloudFront and the WAF' });
    new CfnOutput(this, 'DistributionDomain', { value: edge.distribution.distributionDomainName, description: 'Point the site\'s own DNS name here (CNAME or alias)' });
    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'API Gateway\'s own address, without the WAF: for diagnosis, not for callers' });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'StaffClientId', { value: auth.staffClient.userPoolClientId });
    new CfnOutput(this, 'AuthDomain', { value: auth.domainUrl, description: 'Staff sign-in and the token endpoint (/oauth2/token)' });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    for (const [providerId, client] of auth.providerClients) {
      new CfnOutput(this, `ProviderClient${pascal(providerId)}`, { value: client.userPoolClientId, description: `App client of provider ${providerId}` });
    }
    email.identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${record.name} CNAME ${record.value}`, description: 'Add to the mail domain\'s DNS' });
    });
  }
}

const pascal = (name: string) => name.split(/[^a-zA-Z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
