import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { CouncilProfile } from '../../shared/council/profile.ts';

export interface FirewallProps {
  /** Whose contact details a parent turned away by the rate rules is given. */
  council: CouncilProfile;
}

/**
 * Opening morning, per address, a minute at a time. A family's booking is about 30 requests (start, holiday,
 * code, details, each child and its sessions, check answers: each form a POST and the page after it) over
 * three minutes or more: at most ~15 a minute, 5 of them POSTs, and a parent refreshing a page every few
 * seconds ~20. So 600 requests and 100 form or API posts a minute let ~40 families book at once from one
 * address (a mobile network's shared address, a school or a family hub) before anyone waits, while one
 * script is stopped within its first minute and would need 120 addresses to fill the 200 a second that
 * API Gateway lets through to applications (docs/decisions/010).
 */
export const openingMorning = { windowSeconds: 60, requestsPerAddress: 600, postsPerAddress: 100, retryAfterSeconds: 60 } as const;

/** The label both rate rules put on a request over its limit; the rules after them answer it. */
export const tooManyLabel = 'family-services:too-many-requests';

/** Common-rule-set rules that would refuse legitimate traffic, counted instead of blocking, and why. */
export const countedCommonRules = {
  // 8 KB: an application with several children's notes, or a register, is larger; the origin refuses over 64 KiB (413).
  SizeRestrictions_BODY: 'bodies up to 64 KiB are allowed by the API',
  // Provider back-office systems (e.g. .NET's HttpClient) send none; they carry a token the gateway checks.
  NoUserAgent_HEADER: 'machine clients may send no User-Agent',
} as const;

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true,
});
const managed = (name: string, priority: number, overrides: Record<string, string> = {}): CfnWebACL.RuleProperty => ({
  name: `AWS-${name}`, priority, overrideAction: { none: {} }, visibilityConfig: visibility(name),
  statement: { managedRuleGroupStatement: {
    vendorName: 'AWS', name,
    ruleActionOverrides: Object.keys(overrides).map((rule) => ({ name: rule, actionToUse: { count: {} } })),
  } },
});
const isPost: CfnWebACL.StatementProperty = { byteMatchStatement: {
  fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: 'POST', textTransformations: [{ priority: 0, type: 'NONE' }],
} };
const underApi: CfnWebACL.StatementProperty = { byteMatchStatement: {
  fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: '/v1/', textTransformations: [{ priority: 0, type: 'NONE' }],
} };
const labelled: CfnWebACL.StatementProperty = { labelMatchStatement: { scope: 'LABEL', key: tooManyLabel } };
const countOver = (name: string, priority: number, limit: number, scopeDownStatement?: CfnWebACL.StatementProperty): CfnWebACL.RuleProperty => ({
  name, priority, action: { count: {} }, ruleLabels: [{ name: tooManyLabel }], visibilityConfig: visibility(name),
  statement: { rateBasedStatement: { aggregateKeyType: 'IP', evaluationWindowSec: openingMorning.windowSeconds, limit, scopeDownStatement } },
});
const answer429 = (name: string, priority: number, body: string, statement: CfnWebACL.StatementProperty): CfnWebACL.RuleProperty => ({
  name, priority, visibilityConfig: visibility(name), statement,
  action: { block: { customResponse: {
    responseCode: 429, customResponseBodyKey: body,
    responseHeaders: [{ name: 'retry-after', value: String(openingMorning.retryAfterSeconds) }, { name: 'cache-control', value: 'no-store' }],
  } } },
});

/**
 * The web ACL in front of the CloudFront distribution (CLOUDFRONT scope, so it lives in us-east-1):
 * rate rules for opening morning, answered with a 429 a parent or a client can act on, then AWS's
 * IP reputation, common and known-bad-inputs rule groups.
 */
export class Firewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    const { teamName } = props.council.mail;
    const { phone } = props.council.contact;
    const wait = `Wait ${openingMorning.retryAfterSeconds} seconds, then try again.`;
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Family services: rate rules for opening morning and AWS managed rules',
      visibilityConfig: visibility('family-services'),
      customResponseBodies: {
        'too-many-json': { contentType: 'APPLICATION_JSON', content: JSON.stringify({
          type: 'about:blank', title: 'Too many requests', status: 429, detail: `Too many requests from your network. ${wait}`,
        }) },
        'too-many-html': { contentType: 'TEXT_HTML', content: '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
          + '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Too many requests</title></head>'
          + `<body style="font-family:arial,sans-serif;max-width:40em;margin:2em auto;padding:0 1em"><h1>Sorry, the service is busy</h1>`
          + `<p>Too many requests came from your network. ${wait} Your answers are kept.</p>`
          + `<p>If you need help, contact ${escapeHtml(teamName)} on ${escapeHtml(phone)}.</p></body></html>` },
      },
      rules: [
        countOver('OpeningMorningRequests', 10, openingMorning.requestsPerAddress),
        countOver('OpeningMorningPosts', 11, openingMorning.postsPerAddress, isPost),
        answer429('TooManyApiRequests', 20, 'too-many-json', { andStatement: { statements: [labelled, underApi] } }),
        answer429('TooManyPageRequests', 21, 'too-many-html', labelled),
        managed('AWSManagedRulesAmazonIpReputationList', 30),
        managed('AWSManagedRulesCommonRuleSet', 40, countedCommonRules),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 50),
      ],
    });
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
