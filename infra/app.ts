import { readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { buildSite } from '../scripts/build-site.ts';
import { council, parseCouncilProfile } from '../shared/council/profile.ts';
import { allowedOrigins } from '../shared/http/cors.ts';
import { FamilyServicesEdgeStack } from './edge-stack.ts';
import { FamilyServicesStack, type FamilyServicesProps } from './stack.ts';

const list = (csv: string) => csv.split(',').map((s) => s.trim()).filter(Boolean);

/** DfE checks need both the API's address and the secret with the council's credentials, or neither. */
function dfeContext(apiUrl: string, secretName: string): FamilyServicesProps['dfe'] {
  if (!apiUrl && !secretName) return undefined;
  if (!apiUrl || !secretName) throw new Error('Give both -c dfeApiUrl=… and -c dfeSecretName=… (or neither, for codes only).');
  if (!/^https:\/\//.test(apiUrl)) throw new Error('-c dfeApiUrl must be an https:// URL.');
  return { apiUrl, secretName };
}

/** A web ACL made elsewhere (e.g. by the council's Firewall Manager) must be a CloudFront-scope one. */
function webAclContext(arn: string): string | undefined {
  if (!arn) return undefined;
  if (!/^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(arn)) throw new Error('-c webAclArn must be a CLOUDFRONT-scope WAF web ACL (arn:aws:wafv2:us-east-1:…:global/webacl/…).');
  return arn;
}

/** The site's own name on CloudFront needs its URL and an ACM certificate for it in us-east-1 (CloudFront reads none elsewhere). */
function certificateContext(certificateArn: string, siteUrl: string): string | undefined {
  if (!certificateArn) return undefined;
  if (!/^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)) throw new Error('-c certificateArn must be an ACM certificate in us-east-1.');
  if (!siteUrl) throw new Error('-c certificateArn needs -c siteUrl=https://… (the name the certificate is for).');
  return certificateArn;
}

/**
 * The CDK app. Context (`-c key=value`): stage (dev), region (eu-west-2), allowedOrigins, siteUrl with
 * certificateArn, mailDomain, providers (provider ids that get an app client here), providerClientIds (app
 * clients made elsewhere), authDomainPrefix, alarmTopicArn, dfeApiUrl with dfeSecretName, council (a council
 * profile JSON file; Leicestershire's by default), webAclArn (a WAF web ACL made elsewhere, instead of the edge
 * stack's). Tests call this with their own context.
 */
export function buildApp(context: Record<string, unknown> = {}, overrides: Partial<FamilyServicesProps> = {}) {
  const app = new App({ context });
  const ctx = (key: string, fallback = '') => {
    const value: unknown = app.node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? fallback : String(value);
  };
  const stage = ctx('stage', 'dev');
  const origins = allowedOrigins(ctx('allowedOrigins', 'https://holiday-clubs.example.gov.uk'));
  const profile = ctx('council') ? parseCouncilProfile(readFileSync(resolve(ctx('council')), 'utf8'), ctx('council')) : council();
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const webAclArn = webAclContext(ctx('webAclArn'));
  // CloudFront's WAF must be made in us-east-1; it holds rules only, no data (docs/decisions/010).
  const edge = webAclArn ? undefined : new FamilyServicesEdgeStack(app, `FamilyServicesEdge-${stage}`, {
    env: { account, region: 'us-east-1' },
    description: `Family services: the WAF web ACL for CloudFront (${stage})`,
    council: profile,
  });
  const stack = new FamilyServicesStack(app, `FamilyServices-${stage}`, {
    // London unless told otherwise: not CDK_DEFAULT_REGION, which the CLI sets to us-east-1 when no
    // profile names a region, and children's records must not leave the UK by accident.
    env: { account, region: ctx('region', 'eu-west-2') },
    description: `Family services enrolment and grants platform (${stage})`,
    stage,
    allowedOrigins: origins,
    siteUrl: ctx('siteUrl') || undefined,
    certificateArn: certificateContext(ctx('certificateArn'), ctx('siteUrl')),
    webAclArn: webAclArn ?? edge!.webAclArn,
    mailDomain: ctx('mailDomain', 'family-services.example.gov.uk'),
    providerIds: list(ctx('providers')),
    providerClientIds: list(ctx('providerClientIds')),
    authDomainPrefix: ctx('authDomainPrefix', `family-services-${stage}`),
    alarmTopicArn: ctx('alarmTopicArn') || undefined,
    dfe: dfeContext(ctx('dfeApiUrl'), ctx('dfeSecretName')),
    council: profile,
    ...overrides,
  });
  Tags.of(app).add('service', 'family-services');
  Tags.of(app).add('stage', stage);
  // AWS Solutions and Serverless rules as errors: a finding fails synth unless acknowledged with a reason where it arises.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack, edge };
}

// Run by the CDK CLI (cdk.json: node --import tsx infra/app.ts): the app synthesizes itself on exit.
const isEntryPoint = () => {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
};
if (isEntryPoint()) {
  // Whatever runs the app (npm run synth, cdk deploy), the booking site's views and files are built first.
  buildSite();
  buildApp();
}
