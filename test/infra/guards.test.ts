import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CachePolicy } from 'aws-cdk-lib/aws-cloudfront';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { countedCommonRules, openingMorning, tooManyLabel } from '../../infra/constructs/firewall.ts';
import { thresholds } from '../../infra/constructs/monitoring.ts';
import { sessionCookie } from '../../shared/http/cookies.ts';
import { cors } from '../../shared/http/cors.ts';
import { routes, type RouteDef } from '../../shared/http/routes/index.ts';
import { functions as contracts } from '../../shared/runtime.ts';
import { unacknowledged } from '../support/nag.ts';

// The production guards (issue 15, item 5): CloudFront with the WAF in front of the HTTP API, the alarms, SES's
// configuration set, and both cdk-nag packs. Routes and functions come from the route table and the runtime
// contract, so one added on another branch is checked here without a change.

const noBundling = { 'aws:cdk:bundling-stacks': [] };
const built = buildApp(noBundling);
const t = Template.fromStack(built.stack);
const edge = Template.fromStack(built.edge!);

/** A template resource as the assertions library gives it (its properties untyped). */
type Resource = ReturnType<Template['findResources']>[string];
const only = (tpl: Template, type: string): Resource => {
  const all = Object.values(tpl.findResources(type)) as Resource[];
  expect(all).toHaveLength(1);
  return all[0]!;
};
const logicalId = (tpl: Template, type: string, where: (r: Resource) => boolean) =>
  Object.entries(tpl.findResources(type) as Record<string, Resource>).find(([, r]) => where(r))?.[0];

const distribution = () => only(t, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
type Behavior = { PathPattern?: string; CachePolicyId: string; OriginRequestPolicyId?: unknown; ResponseHeadersPolicyId?: unknown; AllowedMethods: string[]; Compress?: boolean };
/** CloudFront's choice for a path: the first cache behaviour whose pattern matches, else the default. */
const behaviourFor = (path: string): Behavior => {
  const glob = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const config = distribution();
  return ((config.CacheBehaviors ?? []) as Behavior[]).find((b) => glob(b.PathPattern!).test(path)) ?? config.DefaultCacheBehavior;
};
/** A request path for a route, its parameters filled in. */
const concrete = (r: RouteDef) => r.path.replace(/\{[^}]+\}/g, 'x1');

describe('the CloudFront distribution', () => {
  it('fronts the HTTP API over TLS 1.2, with the us-east-1 web ACL attached', () => {
    const config = distribution();
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0]).toMatchObject({
      DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId(t, 'AWS::ApiGatewayV2::Api', () => true), 'ApiEndpoint'] }] }] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    // The ACL's ARN is read from the edge stack's output, and that output is the web ACL's own ARN.
    const aclId = logicalId(edge, 'AWS::WAFv2::WebACL', () => true)!;
    const { StackName, Region, OutputName } = config.WebACLId['Fn::GetStackOutput'];
    expect([StackName, Region]).toEqual([built.edge!.stackName, 'us-east-1']);
    expect(edge.toJSON().Outputs[OutputName].Value).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(built.stack.dependencies).toContain(built.edge);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s passes through uncached unless the route table marks it cacheable', (_, route) => {
    const behaviour = behaviourFor(concrete(route));
    expect(behaviour.AllowedMethods).toContain(route.method);
    if ((route as RouteDef).cacheable) {
      expect(behaviour.CachePolicyId).toBe(CachePolicy.CACHING_OPTIMIZED.cachePolicyId);
      expect(behaviour.OriginRequestPolicyId).toBeUndefined();
    } else {
      expect(behaviour.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
      expect(behaviour.OriginRequestPolicyId).toBeDefined();
    }
  });

  it('caches only the site\'s immutable files', () => {
    const cached = routes.filter((r) => (r as RouteDef).cacheable);
    expect(cached.map((r) => r.path)).toEqual(['/assets/{file}']);
    expect((distribution().CacheBehaviors as Behavior[]).map((b) => b.PathPattern)).toEqual(['/assets/*']);
    expect(behaviourFor('/assets/council-0123456789.css')).toMatchObject({ AllowedMethods: ['GET', 'HEAD'], Compress: true });
  });

  it('forwards every header, query string and cookie the API and the pages read, and no other cookie', () => {
    const policy = only(t, 'AWS::CloudFront::OriginRequestPolicy').Properties.OriginRequestPolicyConfig;
    const forwards = (header: string) => {
      const { HeaderBehavior, Headers = [] } = policy.HeadersConfig as { HeaderBehavior: string; Headers?: string[] };
      const listed = Headers.map((h) => h.toLowerCase()).includes(header);
      return HeaderBehavior === 'allViewer' || (HeaderBehavior === 'allExcept' && !listed) || (HeaderBehavior === 'whitelist' && listed);
    };
    const read = new Set([
      ...cors.allowHeaders, 'origin', 'sec-fetch-site', 'accept', 'access-control-request-method', 'access-control-request-headers',
      ...routes.flatMap((r) => Object.keys(((r as RouteDef).headers as z.ZodMiniObject | undefined)?.shape ?? {})),
    ]);
    expect(read).toContain('x-manage-token');
    // A browser on another council page may send every header a route reads: CORS must allow each one.
    const named = routes.flatMap((r) => Object.keys(((r as RouteDef).headers as z.ZodMiniObject | undefined)?.shape ?? {}));
    expect(named.filter((h) => !(cors.allowHeaders as readonly string[]).includes(h.toLowerCase()))).toEqual([]);
    expect([...read].filter((h) => !forwards(h))).toEqual([]);
    // API Gateway answers only to its own Host; CloudFront forwards Authorization only with every viewer header.
    expect(forwards('host')).toBe(false);
    expect(policy.QueryStringsConfig).toEqual({ QueryStringBehavior: 'all' });
    expect(policy.CookiesConfig).toEqual({ CookieBehavior: 'whitelist', Cookies: [sessionCookie] });
  });

  it('adds security headers only where the origin sets none, on every behaviour', () => {
    const [id] = Object.keys(t.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const headers = only(t, 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(Object.values(headers).map((h) => (h as { Override: boolean }).Override)).toEqual(Object.values(headers).map(() => false));
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
    for (const b of [distribution().DefaultCacheBehavior, ...distribution().CacheBehaviors]) expect(b.ResponseHeadersPolicyId).toEqual({ Ref: id });
  });

  it('is the site\'s address in emails and sign-in unless -c siteUrl names another; the raw API URL stays an output', () => {
    const siteUrls = Object.values(t.findResources('AWS::Lambda::Function') as Record<string, Resource>)
      .filter((f) => f.Properties.Environment?.Variables?.SERVICE_NAME).map((f) => f.Properties.Environment.Variables.SITE_URL);
    const distributionUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(t, 'AWS::CloudFront::Distribution', () => true), 'DomainName'] }]] };
    expect(siteUrls).toHaveLength(Object.keys(contracts).length);
    for (const url of siteUrls) expect(url).toEqual(distributionUrl);
    t.hasOutput('Url', { Value: distributionUrl });
    t.hasOutput('ApiUrl', { Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^ApiHttpApi') }])] } });
    t.hasOutput('DistributionDomain', {});
  });

  it('answers on the council\'s own name with TLS 1.2 (2021) given its us-east-1 certificate', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0d1e2f3a-aaaa-bbbb-cccc-123456789012';
    const own = Template.fromStack(buildApp({ ...noBundling, siteUrl: 'https://holidayclubs.example.gov.uk', certificateArn }).stack);
    const config = only(own, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
    expect(config.Aliases).toEqual(['holidayclubs.example.gov.uk']);
    expect(config.ViewerCertificate).toMatchObject({ AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    own.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ SITE_URL: 'https://holidayclubs.example.gov.uk' }) } });
    expect(() => buildApp({ ...noBundling, certificateArn })).toThrow(/siteUrl/);
    expect(() => buildApp({ ...noBundling, siteUrl: 'https://x.example.gov.uk', certificateArn: certificateArn.replace('us-east-1', 'eu-west-2') })).toThrow(/us-east-1/);
  });
});

describe('the WAF web ACL', () => {
  const acl = () => only(edge, 'AWS::WAFv2::WebACL').Properties;
  type Rule = Resource & { Name: string; Priority: number };
  const rule = (name: string) => (acl().Rules as Rule[]).find((r) => r.Name === name)!;

  it('is a CLOUDFRONT-scope ACL in us-east-1 that lets through what no rule stops', () => {
    expect(built.edge!.region).toBe('us-east-1');
    expect(acl()).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
  });

  it('counts each address\'s requests and posts a minute for opening morning, and labels those over the limit', () => {
    expect(rule('OpeningMorningRequests')).toMatchObject({
      Action: { Count: {} }, RuleLabels: [{ Name: tooManyLabel }],
      Statement: { RateBasedStatement: { AggregateKeyType: 'IP', EvaluationWindowSec: 60, Limit: openingMorning.requestsPerAddress } },
    });
    expect(rule('OpeningMorningRequests').Statement.RateBasedStatement.ScopeDownStatement).toBeUndefined();
    expect(rule('OpeningMorningPosts')).toMatchObject({
      Action: { Count: {} }, RuleLabels: [{ Name: tooManyLabel }],
      Statement: { RateBasedStatement: {
        AggregateKeyType: 'IP', EvaluationWindowSec: 60, Limit: openingMorning.postsPerAddress,
        ScopeDownStatement: { ByteMatchStatement: { FieldToMatch: { Method: {} }, PositionalConstraint: 'EXACTLY', SearchString: 'POST' } },
      } },
    });
    // Room for ~40 families at once on one address (a booking is ~15 requests and 5 posts a minute at most).
    expect(openingMorning.requestsPerAddress / 15).toBeGreaterThanOrEqual(40);
    expect(openingMorning.postsPerAddress / 5).toBeGreaterThanOrEqual(20);
  });

  it('answers a labelled request 429 with Retry-After: JSON under /v1/, a page elsewhere', () => {
    const labelled = { LabelMatchStatement: { Scope: 'LABEL', Key: tooManyLabel } };
    const answer = (body: string) => ({ Block: { CustomResponse: {
      ResponseCode: 429, CustomResponseBodyKey: body,
      ResponseHeaders: Match.arrayWith([{ Name: 'retry-after', Value: String(openingMorning.retryAfterSeconds) }]),
    } } });
    expect(rule('TooManyApiRequests')).toMatchObject({
      Statement: { AndStatement: { Statements: [labelled, { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: '/v1/' } }] } },
    });
    expect(Match.objectLike(answer('too-many-json')).test(rule('TooManyApiRequests').Action).isSuccess).toBe(true);
    expect(rule('TooManyPageRequests').Statement).toEqual(labelled);
    expect(Match.objectLike(answer('too-many-html')).test(rule('TooManyPageRequests').Action).isSuccess).toBe(true);
    const bodies = acl().CustomResponseBodies;
    expect(JSON.parse(bodies['too-many-json'].Content)).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(bodies['too-many-json'].ContentType).toBe('APPLICATION_JSON');
    expect(bodies['too-many-html']).toMatchObject({ ContentType: 'TEXT_HTML', Content: expect.stringContaining('Your answers are kept') });
    // The counting rules run first, so their labels are there when the answering rules look.
    const priority = (n: string) => rule(n).Priority;
    expect(Math.max(priority('OpeningMorningRequests'), priority('OpeningMorningPosts')))
      .toBeLessThan(Math.min(priority('TooManyApiRequests'), priority('TooManyPageRequests')));
    expect(priority('TooManyApiRequests')).toBeLessThan(priority('TooManyPageRequests'));
  });

  it('blocks with AWS\'s IP reputation, common and known-bad-inputs rules, counting only the common rules that refuse legitimate requests', () => {
    const groups = (acl().Rules as Rule[]).filter((r) => r.Statement.ManagedRuleGroupStatement);
    expect(groups.map((r) => r.Statement.ManagedRuleGroupStatement.Name).sort()).toEqual([
      'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    for (const g of groups) {
      expect(g.OverrideAction).toEqual({ None: {} });
      const overrides = (g.Statement.ManagedRuleGroupStatement.RuleActionOverrides ?? []) as { Name: string; ActionToUse: unknown }[];
      const expected = g.Statement.ManagedRuleGroupStatement.Name === 'AWSManagedRulesCommonRuleSet' ? Object.keys(countedCommonRules) : [];
      expect(overrides.map((o) => o.Name).sort()).toEqual(expected.sort());
      for (const o of overrides) expect(o.ActionToUse).toEqual({ Count: {} });
    }
    const priorities = (acl().Rules as Rule[]).map((r) => r.Priority);
    expect(new Set(priorities).size).toBe(priorities.length);
  });

  it('can be one made elsewhere (-c webAclArn), and then no edge stack is made', () => {
    const webAclArn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/council-edge/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
    const given = buildApp({ ...noBundling, webAclArn });
    expect(given.edge).toBeUndefined();
    expect(only(Template.fromStack(given.stack), 'AWS::CloudFront::Distribution').Properties.DistributionConfig.WebACLId).toBe(webAclArn);
    expect(() => buildApp({ ...noBundling, webAclArn: webAclArn.replace('global', 'regional') })).toThrow(/CLOUDFRONT/);
  });
});

describe('alarms', () => {
  type Alarm = Resource;
  const alarms = (tpl = t) => Object.values(tpl.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
  const on = (metricName: string, dimension: { Name: string; Value: unknown }, tpl = t) =>
    alarms(tpl).filter((a) => a.Properties.MetricName === metricName && JSON.stringify(a.Properties.Dimensions) === JSON.stringify([dimension]));
  const mathAlarm = (metricName: string) => alarms().filter((a) => (a.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[] | undefined)
    ?.some((m) => m.MetricStat?.Metric.MetricName === metricName));

  it.each(Object.keys(contracts))('%s: one alarm on its errors and one on its throttles', (name) => {
    const fn = logicalId(t, 'AWS::Lambda::Function', (r) => r.Properties.Environment?.Variables?.SERVICE_NAME === name);
    expect(fn).toBeDefined();
    const dimension = { Name: 'FunctionName', Value: { Ref: fn } };
    expect(on('Errors', dimension).map((a) => [a.Properties.Namespace, a.Properties.Threshold])).toEqual([['AWS/Lambda', thresholds.lambdaErrors]]);
    expect(on('Throttles', dimension).map((a) => [a.Properties.Namespace, a.Properties.Threshold])).toEqual([['AWS/Lambda', thresholds.lambdaThrottles]]);
  });

  it('watch the API\'s 5xx rate and its 429s (counted from the access logs)', () => {
    const api = { Name: 'ApiId', Value: { Ref: logicalId(t, 'AWS::ApiGatewayV2::Api', () => true) } };
    const [fiveXx] = mathAlarm('5xx');
    expect(fiveXx!.Properties).toMatchObject({ Threshold: thresholds.api5xxPercent, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    expect(fiveXx!.Properties.Metrics.filter((m: { MetricStat?: { Metric: { Dimensions: unknown[] } } }) => m.MetricStat)
      .map((m: { MetricStat: { Metric: { MetricName: string; Dimensions: unknown[] } } }) => [m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions]))
      .toEqual(expect.arrayContaining([['5xx', [api]], ['Count', [api]]]));

    // The stage's access logs carry the API's id and each answer's status; a filter counts the 429s among them.
    const stage = only(t, 'AWS::ApiGatewayV2::Stage').Properties;
    expect(JSON.parse(stage.AccessLogSettings.Format)).toMatchObject({ apiId: '$context.apiId', status: '$context.status' });
    expect(only(t, 'AWS::Logs::MetricFilter').Properties).toMatchObject({
      FilterPattern: '{ $.status = "429" }', LogGroupName: { Ref: stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] },
      MetricTransformations: [{ MetricName: 'ApiThrottled', MetricNamespace: 'FamilyServices', Dimensions: [{ Key: 'ApiId', Value: '$.apiId' }] }],
    });
    const [throttled] = mathAlarm('ApiThrottled');
    expect(throttled!.Properties.Threshold).toBe(thresholds.api429Percent);
    expect(JSON.stringify(throttled!.Properties.Metrics)).toContain(JSON.stringify([api]));
  });

  it('watch SES\'s bounce and complaint rates of the configuration set', () => {
    const set = { Name: 'ses:configuration-set', Value: { Ref: logicalId(t, 'AWS::SES::ConfigurationSet', () => true) } };
    expect(on('Reputation.BounceRate', set).map((a) => [a.Properties.Namespace, a.Properties.Threshold])).toEqual([['AWS/SES', thresholds.sesBounceRate]]);
    expect(on('Reputation.ComplaintRate', set).map((a) => [a.Properties.Namespace, a.Properties.Threshold])).toEqual([['AWS/SES', thresholds.sesComplaintRate]]);
    expect(thresholds.sesBounceRate).toBeLessThan(0.05);
    expect(thresholds.sesComplaintRate).toBeLessThan(0.001);
  });

  it('keep the notifier\'s dead-letter and stream-age alarms, once each', () => {
    expect(alarms().filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    expect(alarms().filter((a) => a.Properties.MetricName === 'IteratorAge')).toHaveLength(1);
  });

  it('all go to the topic given by -c alarmTopicArn, and nowhere without it', () => {
    const topic = 'arn:aws:sns:eu-west-2:123456789012:on-call';
    const routed = alarms(Template.fromStack(buildApp({ ...noBundling, alarmTopicArn: topic }).stack));
    expect(routed.length).toBe(alarms().length);
    expect(routed.filter((a) => JSON.stringify(a.Properties.AlarmActions) !== JSON.stringify([topic]))).toEqual([]);
    expect(alarms().filter((a) => a.Properties.AlarmActions)).toEqual([]);
  });
});

describe('SES', () => {
  it('has a configuration set with reputation metrics and a CloudWatch event destination, never opens or clicks', () => {
    const set = logicalId(t, 'AWS::SES::ConfigurationSet', () => true)!;
    t.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
    const destination = only(t, 'AWS::SES::ConfigurationSetEventDestination').Properties;
    expect(destination.ConfigurationSetName).toEqual({ Ref: set });
    expect(destination.EventDestination.Enabled).toBe(true);
    expect(destination.EventDestination.CloudWatchDestination.DimensionConfigurations).toHaveLength(1);
    expect(destination.EventDestination.MatchingEventTypes).toEqual(expect.arrayContaining(['send', 'delivery', 'bounce', 'complaint', 'reject']));
    expect(destination.EventDestination.MatchingEventTypes).not.toEqual(expect.arrayContaining(['open']));
    expect(destination.EventDestination.MatchingEventTypes).not.toEqual(expect.arrayContaining(['click']));
  });

  it('is the identity\'s default, and the function that sends names it in every request', () => {
    const set = { Ref: logicalId(t, 'AWS::SES::ConfigurationSet', () => true) };
    t.hasResourceProperties('AWS::SES::EmailIdentity', { ConfigurationSetAttributes: { ConfigurationSetName: set } });
    const named = Object.values(t.findResources('AWS::Lambda::Function') as Record<string, Resource>)
      .filter((f) => f.Properties.Environment?.Variables?.SES_CONFIGURATION_SET)
      .map((f) => [f.Properties.Environment.Variables.SERVICE_NAME, f.Properties.Environment.Variables.SES_CONFIGURATION_SET]);
    expect(named).toEqual([['notifier', set]]);
  });
});

describe('cdk-nag (AwsSolutions and Serverless)', () => {
  const findings = (app: ReturnType<typeof buildApp>['app']) => unacknowledged(app, [new AwsSolutionsChecks(), new ServerlessChecks()]);

  it('finds nothing unacknowledged in either stack, and synth does not throw', () => {
    expect(findings(built.app)).toEqual([]);
    expect(() => built.app.synth()).not.toThrow();
  });

  it('nor with a custom domain, a web ACL made elsewhere or an alarm topic', () => {
    const withAll = buildApp({
      ...noBundling, siteUrl: 'https://holidayclubs.example.gov.uk', alarmTopicArn: 'arn:aws:sns:eu-west-2:123456789012:on-call',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0d1e2f3a-aaaa-bbbb-cccc-123456789012',
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/council-edge/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
    });
    withAll.app.synth();
    expect(findings(withAll.app)).toEqual([]);
  });

  it('runs both packs on synth: a Serverless-only finding fails it', () => {
    const stray = buildApp(noBundling);
    // Latest runtime, memory, timeout and tracing set (AwsSolutions is content); no dead-letter queue (Serverless is not).
    new CfnFunction(stray.stack, 'Stray', {
      code: { zipFile: 'exports.handler = async () => ({})' }, role: 'arn:aws:iam::123456789012:role/stray', handler: 'index.handler',
      runtime: 'nodejs24.x', memorySize: 256, timeout: 5, tracingConfig: { mode: 'Active' },
    });
    expect(() => stray.app.synth()).toThrow(/Serverless-LambdaDLQ/);
    expect(findings(stray.app)).toEqual(['Serverless-LambdaDLQ at FamilyServices-dev/Stray']);
  });
});
