import { Duration, Fn, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination,
  type CfnStage, type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { cors } from '../../shared/http/cors.ts';
import { routeKey, type RouteDef } from '../../shared/http/route.ts';
import { fullScope, roles, type ScopeRole } from '../../shared/http/roles.ts';

export interface ApiProps {
  routes: readonly RouteDef[];
  functions: ReadonlyMap<string, IFunction>;
  authorizer: IHttpRouteAuthorizer;
  allowedOrigins: string[];
}

/** Stage-wide steady rate and burst; busy public routes raise theirs in the route table. */
const defaultThrottle = { rateLimit: 100, burstLimit: 200 };

/** One access log line per request: who-what-how-long, and nothing a caller typed (no query, headers or IP). */
const accessLogFormat = AccessLogFormat.custom(JSON.stringify({
  requestId: '$context.requestId',
  apiId: '$context.apiId',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  responseLength: '$context.responseLength',
}));

/** The HTTP API: one route per row of the route table, each integrated with its audience's function. */
export class Api extends Construct {
  readonly url: string;
  readonly httpApi: HttpApi;
  /** The API's own host name, CloudFront's origin. */
  readonly domainName: string;
  readonly accessLogs: ILogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Family services: HAF, Active Families, Youth Card',
      createDefaultStage: false, // our own stage below, with throttling and access logs
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: cors.allowMethods.map((m) => CorsHttpMethod[m]),
        allowHeaders: [...cors.allowHeaders],
        exposeHeaders: [...cors.exposeHeaders],
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });

    // One integration per function, allowed from any route: one Lambda permission each instead of one per route.
    const integrations = new Map([...props.functions].map(([name, fn]) => [
      name, new HttpLambdaIntegration(`${name}-integration`, fn, { scopePermissionToRoute: false }),
    ]));
    for (const [name, fn] of props.functions) {
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: `API Gateway invokes ${name} synchronously: a failure is the caller's answer (a problem response), `
          + 'and a dead-letter queue takes only asynchronous invocations, of which it has none.',
      });
    }

    const none = new HttpNoneAuthorizer();
    const httpRoutes = props.routes.map((route) => {
      const integration = integrations.get(route.fn);
      if (!integration) throw new Error(`Route ${routeKey(route)} names function ${route.fn}, which is not in functionNames`);
      const kind = roles[route.role].kind;
      const isPublic = kind === 'public';
      const httpRoute = new HttpRoute(this, route.operationId, {
        httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
        authorizer: isPublic ? none : props.authorizer,
        // API Gateway itself demands a machine role's scope (the handler checks the role again).
        authorizationScopes: kind === 'scope' ? [fullScope(route.role as ScopeRole)] : undefined,
      });
      if (isPublic) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is public by design in the route table (parents and referrers have no account); `
            + 'personal data behind public routes is guarded by the per-application manage token, checked in the handler.',
        });
      }
      return httpRoute;
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: defaultThrottle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });
    // Per-route throttling has no L2 property: set the stage's RouteSettings map directly.
    const throttled = props.routes.filter((r) => r.throttle);
    if (throttled.length > 0) {
      (stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(throttled.map((r) => [routeKey(r), {
        ThrottlingRateLimit: r.throttle!.rate,
        ThrottlingBurstLimit: r.throttle!.burst,
      }]));
      // Route settings may name only routes that already exist.
      stage.node.addDependency(...httpRoutes);
    }
    this.url = stage.url;
    this.httpApi = httpApi;
    this.accessLogs = accessLogs;
    this.domainName = Fn.select(2, Fn.split('/', httpApi.apiEndpoint));
  }
}
