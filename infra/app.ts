import { readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildSite } from '../scripts/build-site.ts';
import { council, parseCouncilProfile } from '../shared/council/profile.ts';
import { allowedOrigins } from '../shared/http/cors.ts';
import { FamilyServicesStack, type FamilyServicesProps } from './stack.ts';

const list = (csv: string) => csv.split(',').map((s) => s.trim()).filter(Boolean);

/** DfE checks need both the API's address and the secret with the council's credentials, or neither. */
function dfeContext(apiUrl: string, secretName: string): FamilyServicesProps['dfe'] {
  if (!apiUrl && !secretName) return undefined;
  if (!apiUrl || !secretName) throw new Error('Give both -c dfeApiUrl=… and -c dfeSecretName=… (or neither, for codes only).');
  if (!/^https:\/\//.test(apiUrl)) throw new Error('-c dfeApiUrl must be an https:// URL.');
  return { apiUrl, secretName };
}

/**
 * The CDK app. Context (`-c key=value`): stage (dev), region (eu-west-2), allowedOrigins, siteUrl, mailDomain,
 * providers (provider ids that get an app client here), providerClientIds (app clients made
 * elsewhere), authDomainPrefix, alarmTopicArn, dfeApiUrl with dfeSecretName, council (a council profile
 * JSON file; Leicestershire's by default). Tests call this with their own context.
 */
export function buildApp(context: Record<string, unknown> = {}, overrides: Partial<FamilyServicesProps> = {}) {
  const app = new App({ context });
  const ctx = (key: string, fallback = '') => {
    const value: unknown = app.node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? fallback : String(value);
  };
  const stage = ctx('stage', 'dev');
  const origins = allowedOrigins(ctx('allowedOrigins', 'https://holiday-clubs.example.gov.uk'));
  const stack = new FamilyServicesStack(app, `FamilyServices-${stage}`, {
    // London unless told otherwise: not CDK_DEFAULT_REGION, which the CLI sets to us-east-1 when no
    // profile names a region, and children's records must not leave the UK by accident.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: ctx('region', 'eu-west-2') },
    description: `Family services enrolment and grants platform (${stage})`,
    stage,
    allowedOrigins: origins,
    siteUrl: ctx('siteUrl', origins[0] ?? 'https://holiday-clubs.example.gov.uk'),
    mailDomain: ctx('mailDomain', 'family-services.example.gov.uk'),
    providerIds: list(ctx('providers')),
    providerClientIds: list(ctx('providerClientIds')),
    authDomainPrefix: ctx('authDomainPrefix', `family-services-${stage}`),
    alarmTopicArn: ctx('alarmTopicArn') || undefined,
    dfe: dfeContext(ctx('dfeApiUrl'), ctx('dfeSecretName')),
    council: ctx('council') ? parseCouncilProfile(readFileSync(resolve(ctx('council')), 'utf8'), ctx('council')) : council(),
    ...overrides,
  });
  Tags.of(app).add('service', 'family-services');
  Tags.of(app).add('stage', stage);
  // AWS Solutions rules as errors: a finding fails synth unless acknowledged with a reason where it arises.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
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
