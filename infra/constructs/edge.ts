import { Duration, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods, CachePolicy, CachedMethods, Distribution, HeadersFrameOption, HeadersReferrerPolicy, HttpVersion,
  OriginProtocolPolicy, OriginRequestCookieBehavior, OriginRequestHeaderBehavior, OriginRequestPolicy,
  OriginRequestQueryStringBehavior, OriginSslPolicy, PriceClass, ResponseHeadersPolicy, SecurityPolicyProtocol,
  ViewerProtocolPolicy, type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';
import { sessionCookie } from '../../shared/http/cookies.ts';
import type { RouteDef } from '../../shared/http/route.ts';

export interface EdgeProps {
  /** The HTTP API's own host name (`<id>.execute-api.<region>.amazonaws.com`). */
  apiDomain: string;
  routes: readonly RouteDef[];
  /** The WAF web ACL (CLOUDFRONT scope, made in us-east-1). */
  webAclArn: string;
  /** The site's own host name and its ACM certificate in us-east-1; without them, the distribution's own address. */
  domain?: { name: string; certificateArn: string };
}

/** A route's path as a CloudFront path pattern: `/assets/{file}` → `/assets/*`. */
export const pathPattern = (path: string) => path.replace(/\{[^}]+\}/g, '*');

/**
 * The CloudFront distribution in front of the HTTP API, with the WAF attached: the API (/v1/…) and the booking
 * site's pages pass through uncached, as they carry personal data; only routes marked `cacheable` in the route
 * table (the site's hashed, immutable files) are kept at the edge.
 */
export class Edge extends Construct {
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const origin = new HttpOrigin(props.apiDomain, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    // CloudFront will not name Authorization in an origin request policy's list; it forwards it only with every
    // viewer header. Host must stay API Gateway's own, or it refuses the request. Cookies: the site's session only.
    const passThrough = new OriginRequestPolicy(this, 'PassThrough', {
      comment: 'Family services: every viewer header but Host, every query string, the site session cookie',
      headerBehavior: OriginRequestHeaderBehavior.denyList('host'),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.allowList(sessionCookie),
    });
    // The origin sets its own security headers on pages and API answers; these fill in only where it sets none
    // (the site's files, CloudFront's and the WAF's own answers) and never replace the origin's.
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Family services: security headers where the origin sets none',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: false },
        contentTypeOptions: { override: false },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: false },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: false },
      },
    });
    const uncached: BehaviorOptions = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: passThrough,
      responseHeadersPolicy: headers,
      compress: false, // the origin's answers are small and uncached; compressing them would only add latency
    };
    const cached: BehaviorOptions = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      // No cookies, headers or query strings reach the origin or the key: a file is the same for everyone.
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
      compress: true,
    };
    const cachedPatterns = [...new Set(props.routes.filter((r) => r.cacheable).map((r) => pathPattern(r.path)))];

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Family services: the API and the booking site',
      defaultBehavior: uncached,
      additionalBehaviors: Object.fromEntries(cachedPatterns.map((p) => [p, cached])),
      webAclId: props.webAclArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Families are in the UK: Europe's and North America's edges are enough, and the cheapest.
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.domain ? {
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
        domainNames: [props.domain.name],
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
      } : {}),
    });
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'No geographic restriction: a parent abroad, or on a VPN, must still be able to book or cancel a child\'s place; '
        + 'the WAF\'s rate and managed rules stand against abuse from anywhere.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason: 'No CloudFront access logs: they would keep every visitor\'s IP address and the application references in '
        + 'manage URLs, which the API\'s own access logs leave out by design; the WAF\'s metrics and sampled requests '
        + 'show attacks, and the API access logs every request.',
    });
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason: 'Without -c certificateArn the distribution answers on its *.cloudfront.net name, whose certificate CloudFront '
          + 'fixes at TLSv1; with the council\'s own name and certificate it takes TLSv1.2_2021 (docs/decisions/010).',
      });
    }
  }
}
