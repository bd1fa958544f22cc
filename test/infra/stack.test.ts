import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { CouncilProfile } from '../../shared/council/profile.ts';
import { fullScope, groupRoles, resourceServer, scopeRoles } from '../../shared/http/roles.ts';
import { functionNames, routeKey, routes, type RouteDef } from '../../shared/http/routes/index.ts';
import { commonEnvironment, functions as contracts } from '../../shared/runtime.ts';
import { indexes, primaryKey, ttlAttribute } from '../../shared/store/table.ts';
import { unacknowledged } from '../support/nag.ts';

// What `npm run synth` builds, minus esbuild (the bundle is not under test here), and with cdk-nag on.
const noBundling = { 'aws:cdk:bundling-stacks': [] };
const built = buildApp(noBundling);
const template = Template.fromStack(built.stack);

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
/** Policy statements, optionally only those of roles whose logical id matches. */
const statements = (t: Template, role = /./): Statement[] =>
  Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => role.test(r.Ref)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const actions = (s: Statement) => [s.Action].flat();

/** Findings cdk-nag would fail synth with, as readable lines. */
const nagFindings = (app: ReturnType<typeof buildApp>['app']) => unacknowledged(app, [new AwsSolutionsChecks()]);

describe('the table', () => {
  it('has the keys, indexes, TTL and stream of shared/store/table.ts', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: primaryKey.partition, KeyType: 'HASH' }, { AttributeName: primaryKey.sort, KeyType: 'RANGE' }],
        GlobalSecondaryIndexes: Object.entries(indexes).map(([IndexName, ix]) => Match.objectLike({
          IndexName,
          KeySchema: [{ AttributeName: ix.partition, KeyType: 'HASH' }, { AttributeName: ix.sort, KeyType: 'RANGE' }],
          Projection: { ProjectionType: ix.projection },
        })),
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });
});

describe('the HTTP API', () => {
  const routeResources = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
  const [authorizerId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));

  it('has exactly one route per row of the route table', () => {
    expect(routeResources.map((r) => r.Properties.RouteKey).sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(routes.map((r) => [routeKey(r), r.role] as const))('%s (%s) has the right authorizer', (key, role) => {
    const route = routeResources.find((r) => r.Properties.RouteKey === key)!;
    if (role === 'public') {
      expect(route.Properties.AuthorizationType).toBe('NONE');
      expect(route.Properties.AuthorizerId).toBeUndefined();
    } else {
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(route.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
    }
  });

  it('checks Cognito JWTs for the staff client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^https://cognito-idp\\.eu-west-2\\.amazonaws\\.com/$')])] },
        Audience: Match.arrayWith([{ Ref: Match.stringLikeRegexp('StaffClient') }]),
      },
    });
  });

  it('logs access as JSON without query strings, headers or source IPs, and throttles per route', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties;
    const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;
    expect(Object.keys(format)).toEqual(expect.arrayContaining(['requestId', 'routeKey', 'status', 'latency', 'integrationError']));
    expect(Object.values(format).join(' ')).not.toMatch(/querystring|header|sourceIp|identity/i);
    expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) });
    for (const { throttle, ...r } of routes as readonly RouteDef[]) {
      if (throttle) expect(stage.RouteSettings[routeKey(r)]).toEqual({ ThrottlingRateLimit: throttle.rate, ThrottlingBurstLimit: throttle.burst });
    }
  });
});

describe('the functions', () => {
  const fns = template.findResources('AWS::Lambda::Function');

  it('are one per function of the runtime contract, each as it sets it, on the newest Node.js, arm64, traced, with JSON logs', () => {
    const services = Object.values(fns).map((f) => f.Properties.Environment.Variables.SERVICE_NAME as string);
    expect(services.sort()).toEqual(Object.keys(contracts).sort());
    expect(Object.keys(contracts)).toEqual(expect.arrayContaining(functionNames));
    for (const { Properties: p } of Object.values(fns)) {
      const contract = contracts[p.Environment.Variables.SERVICE_NAME as keyof typeof contracts];
      expect(p).toMatchObject({
        Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' }, MemorySize: contract.memoryMb, Timeout: contract.timeoutSeconds,
      });
      expect(p.LoggingConfig.LogFormat).toBe('JSON');
      expect(p.Environment.Variables).toMatchObject(commonEnvironment);
      expect(Object.keys(p.Environment.Variables)).toEqual(expect.arrayContaining(
        ['MAIL_FROM', 'ALLOWED_ORIGINS', 'SITE_URL', 'SERVICE_NAME', 'COUNCIL_PROFILE']));
      // A function with no rights on the table is not told its name either.
      expect('TABLE_NAME' in p.Environment.Variables).toBe(contract.table !== 'none');
      // The council's profile, checked and without the local demo data, fits Lambda's 4 KB of environment.
      // What each function checks at start: it must read as a profile, or the function fails at its first request.
      const profile = CouncilProfile.parse(JSON.parse(p.Environment.Variables.COUNCIL_PROFILE));
      expect([profile.id, 'demo' in profile]).toEqual(['leicestershire', false]);
      expect(JSON.stringify(p.Environment.Variables).length).toBeLessThan(4096);
    }
  });

  it('tell only the functions serving a route that takes an optional token the pool\'s issuer and the staff client', () => {
    const told = Object.values(fns).filter((f) => f.Properties.Environment.Variables.JWT_ISSUER).map((f) => f.Properties.Environment.Variables);
    expect(told.map((v) => v.SERVICE_NAME)).toEqual([...new Set(routes.filter((r) => (r as RouteDef).token === 'optional').map((r) => r.fn))]);
    for (const v of told) {
      expect(JSON.stringify(v.JWT_ISSUER)).toContain('cognito-idp');
      expect(JSON.stringify(v.JWT_CLIENT_IDS)).toContain('StaffClient');
    }
  });

  it('get no wildcard actions and no Scan; only the notifier reads the stream', () => {
    const all = statements(template).flatMap(actions);
    expect(all.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
    expect(all).not.toContain('dynamodb:Scan');
    expect(statements(template, /^(?!Notifier)/).flatMap(actions)).not.toContain('dynamodb:GetRecords');
    // The OpenAPI document is built from code alone: that function may not touch the table at all.
    const docs = statements(template, /^DocsRole/).flatMap(actions);
    expect(docs).toContain('logs:PutLogEvents');
    expect(docs.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('use no AWS managed policies', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('has no unacknowledged finding, and synth does not throw', () => {
    expect(nagFindings(built.app)).toEqual([]);
    expect(() => built.app.synth()).not.toThrow();
  });
});

describe('the notifier', () => {
  const t = template;

  it('reads the stream with retries, bisection and a dead-letter queue that raises an alarm', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataTable'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: contracts.notifier.stream.bisectBatchOnError,
      BatchSize: contracts.notifier.stream.batchSize,
      MaximumRetryAttempts: contracts.notifier.stream.retryAttempts,
      MaximumRecordAgeInSeconds: contracts.notifier.stream.maxRecordAgeHours * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'Arn'] } } },
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'QueueName'] } }],
    });
  });

  it('may send email only through the SES identity, as the platform sender', () => {
    const ses = statements(t).filter((s) => actions(s).some((a) => a.startsWith('ses:')));
    expect(ses).toHaveLength(1);
    expect(actions(ses[0]!)).toEqual(['ses:SendEmail']);
    expect(ses[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'holiday-clubs@family-services.example.gov.uk' } });
    expect(JSON.stringify(ses[0]!.Resource)).toContain(':identity/family-services.example.gov.uk');
  });

});

describe('roles (shared/http/roles.ts)', () => {
  it('make a user pool group for each staff role and a resource server scope for each machine role', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...groupRoles].sort());
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: resourceServer, Scopes: scopeRoles.map((r) => Match.objectLike({ ScopeName: r })),
    });
  });

  it('demand a machine role\'s scope at the gateway on its routes', () => {
    const routeResources = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    for (const route of routes) {
      const r = routeResources.find((x) => x.Properties.RouteKey === routeKey(route))!;
      expect([routeKey(route), r.Properties.AuthorizationScopes]).toEqual([routeKey(route), route.role === 'provider' ? [fullScope('provider')] : undefined]);
    }
  });
});

describe('DfE eligibility checks (-c dfeApiUrl, -c dfeSecretName)', () => {
  const withDfe = buildApp({ ...noBundling, dfeApiUrl: 'https://ecs.education.gov.uk', dfeSecretName: 'family-services/dfe' });
  const t = Template.fromStack(withDfe.stack);
  const functionsOf = (tpl: Template) => Object.values(tpl.findResources('AWS::Lambda::Function'))
    .map((f) => f.Properties as { Environment: { Variables: Record<string, string> }; Layers?: unknown[] });
  const service = (p: { Environment: { Variables: Record<string, string> } }) => p.Environment.Variables.SERVICE_NAME ?? '';

  // The functions that check eligibility: the API's, the booking site's (it calls the same service), and the
  // public API's (an application with a pending check asks DfE again).
  const checkers = ['eligibility-api', 'public-api', 'site'];

  it('gives only the functions that check eligibility the address, the secret’s name (never its value) and the secrets extension', () => {
    expect(functionsOf(t).filter((p) => checkers.includes(service(p))).map(service).sort()).toEqual(checkers);
    for (const p of functionsOf(t)) {
      const vars = p.Environment.Variables;
      expect(vars.DFE_CLIENT_SECRET).toBeUndefined();
      if (checkers.includes(service(p))) {
        expect(vars).toMatchObject({ DFE_API_URL: 'https://ecs.education.gov.uk', DFE_SECRET_ID: 'family-services/dfe' });
        expect(p.Layers).toHaveLength(1);
        expect(JSON.stringify(p.Layers)).toMatch(/Parameters-and-Secrets-Lambda-Extension-Arm64/);
      } else {
        expect(vars.DFE_API_URL).toBeUndefined();
        expect(vars.DFE_SECRET_ID).toBeUndefined();
      }
    }
  });

  it('lets only those functions read that one secret', () => {
    const reads = (role: RegExp) => statements(t, role)
      .filter((s) => actions(s).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes('family-services/dfe'));
    for (const role of [/^EligibilityApi/, /^PublicApi/, /^Site/]) {
      expect(reads(role)).toHaveLength(1);
      expect(JSON.stringify(reads(role)[0]!.Resource)).toContain('secret:family-services/dfe-??????');
    }
    expect(reads(/^(?!EligibilityApi|PublicApi|Site)/)).toEqual([]);
    expect(nagFindings(withDfe.app)).toEqual([]);
  });

  it('needs both settings, and an https address', () => {
    expect(() => buildApp({ ...noBundling, dfeApiUrl: 'https://ecs.education.gov.uk' })).toThrow(/both/);
    expect(() => buildApp({ ...noBundling, dfeApiUrl: 'http://ecs.education.gov.uk', dfeSecretName: 'x' })).toThrow(/https/);
    expect(functionsOf(template).every((p) => p.Environment.Variables.DFE_API_URL === undefined)).toBe(true);
  });
});

describe('the request digest secret (idempotent requests)', () => {
  const t = template;
  const secrets = t.findResources('AWS::SecretsManager::Secret');
  const [secretId] = Object.keys(secrets);
  const digesters: string[] = [...new Set(routes.filter((r: RouteDef) => r.idempotent).map((r) => r.fn as string))].sort();
  const lambdas = Object.values(t.findResources('AWS::Lambda::Function'))
    .map((f) => f.Properties as { Environment: { Variables: Record<string, unknown> }; Layers?: unknown[] });
  const name = (p: { Environment: { Variables: Record<string, unknown> } }) => String(p.Environment.Variables.SERVICE_NAME);

  it('is generated by the stack and kept if the stack goes, its value in no template', () => {
    expect(Object.keys(secrets)).toHaveLength(1);
    expect(secrets[secretId!]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { GenerateSecretString: { PasswordLength: 64 } } });
    expect(JSON.stringify(secrets[secretId!]!.Properties)).not.toMatch(/"SecretString"/);
  });

  it('is named (never given) to exactly the functions with a route that takes an Idempotency-Key, with the secrets extension', () => {
    expect(digesters).toEqual(['admin-api', 'eligibility-api', 'finance-api', 'provider-api', 'public-api', 'referrer-api', 'site']);
    expect(lambdas.filter((p) => p.Environment.Variables.REQUEST_DIGEST_SECRET_ID).map(name).sort()).toEqual(digesters);
    for (const p of lambdas) {
      expect(p.Environment.Variables.REQUEST_DIGEST_SECRET).toBeUndefined();
      if (digesters.includes(name(p))) {
        expect(p.Environment.Variables.REQUEST_DIGEST_SECRET_ID).toEqual({ Ref: secretId });
        expect(JSON.stringify(p.Layers)).toMatch(/Parameters-and-Secrets-Lambda-Extension-Arm64/);
      } else {
        expect(p.Layers).toBeUndefined();
      }
    }
  });

  it('may be read by those functions alone, and only that secret', () => {
    const reads = (role: RegExp) => statements(t, role).filter((s) => actions(s).includes('secretsmanager:GetSecretValue'));
    for (const role of [/^AdminApi/, /^EligibilityApi/, /^FinanceApi/, /^ProviderApi/, /^PublicApi/, /^ReferrerApi/, /^Site/]) {
      expect(reads(role).map((s) => s.Resource)).toEqual([{ Ref: secretId }]);
    }
    expect(reads(/^(Docs|Notifier)/)).toEqual([]);
  });
});
