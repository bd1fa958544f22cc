import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm, ComparisonOperator, MathExpression, Stats, TreatMissingData, type AlarmProps, type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { commonEnvironment } from '../../shared/runtime.ts';
import type { Email } from './email.ts';

export interface MonitoringProps {
  /** An existing SNS topic (the on-call route) for every alarm; none: alarms show in the console only. */
  alarmTopicArn?: string;
}

/** What raises each alarm, written once: the stack's alarms and the tests read these. */
export const thresholds = {
  /** Of the API's answers in a minute, for 3 minutes in 5, once a minute has at least `minRequests`. */
  api5xxPercent: 1,
  api429Percent: 5,
  minRequests: 10,
  /** Unhandled errors or timeouts of one function in 5 minutes: one is logged and traced, five are a pattern. */
  lambdaErrors: 5,
  /** Any throttled invocation in 5 minutes: a parent turned away, or the stream falling behind. */
  lambdaThrottles: 1,
  /** Half the rates at which SES puts an account under review (5 % bounces, 0.1 % complaints). */
  sesBounceRate: 0.025,
  sesComplaintRate: 0.0005,
} as const;

/**
 * The alarms: the API's 5xx and 429 rates, each function's errors and throttles, SES's bounce and complaint
 * rates, and any made elsewhere (the notifier's), all routed to the one topic.
 */
export class Monitoring extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action?: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (props.alarmTopicArn) this.action = new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn));
  }

  /** Routes alarms made elsewhere to the topic as well. */
  add(...alarms: Alarm[]): void {
    for (const alarm of alarms) {
      if (this.action) alarm.addAlarmAction(this.action);
      this.alarms.push(alarm);
    }
  }

  /** Errors and throttles of one function. */
  watchFunction(name: string, id: string, fn: IFunction): void {
    const every5 = { period: Duration.minutes(5), statistic: Stats.SUM };
    this.alarm(`${id}Errors`, {
      alarmDescription: `The ${name} function failed or timed out ${thresholds.lambdaErrors}+ times in 5 minutes: read its logs and traces.`,
      metric: fn.metricErrors(every5), threshold: thresholds.lambdaErrors, evaluationPeriods: 1,
    });
    this.alarm(`${id}Throttles`, {
      alarmDescription: `Lambda throttled the ${name} function: the account's or its concurrency limit is reached; raise it.`,
      metric: fn.metricThrottles(every5), threshold: thresholds.lambdaThrottles, evaluationPeriods: 1,
    });
  }

  /** The API's 5xx rate, and its 429s (from the access logs: API Gateway counts them only among all 4xx). */
  watchApi(httpApi: HttpApi, accessLogs: ILogGroup): void {
    const minute = { period: Duration.minutes(1), statistic: Stats.SUM };
    const requests = httpApi.metricCount(minute);
    const throttled = new MetricFilter(this, 'ThrottledRequests', {
      logGroup: accessLogs,
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: commonEnvironment.METRICS_NAMESPACE,
      metricName: 'ApiThrottled',
      metricValue: '1',
      defaultValue: 0,
      dimensions: { ApiId: '$.apiId' },
    });
    this.rate('Api5xx', 'Over 1 % of the API\'s answers are 5xx errors: a dependency is down or a function fails.',
      httpApi.metricServerError(minute), requests, thresholds.api5xxPercent);
    this.rate('Api429', 'Over 5 % of the API\'s requests are refused with 429: throttled at the gateway, or callers over their limits.',
      throttled.metric({ ...minute, dimensionsMap: { ApiId: httpApi.apiId } }), requests, thresholds.api429Percent);
  }

  /** Bounce and complaint rates of the mail sent through the configuration set. */
  watchEmail(email: Email): void {
    this.alarm('SesBounceRate', {
      alarmDescription: 'Over 2.5 % of emails bounce (SES reviews the account at 5 %): look for a typo\'d or stale address source.',
      metric: email.reputation('BounceRate'), threshold: thresholds.sesBounceRate, evaluationPeriods: 1,
    });
    this.alarm('SesComplaintRate', {
      alarmDescription: 'Over 0.05 % of emails are reported as spam (SES reviews the account at 0.1 %): check what was sent.',
      metric: email.reputation('ComplaintRate'), threshold: thresholds.sesComplaintRate, evaluationPeriods: 1,
    });
  }

  private rate(id: string, alarmDescription: string, part: IMetric, whole: IMetric, percent: number) {
    const metric = new MathExpression({
      // A quiet minute (a few requests) says nothing about a rate; a minute with no failures has no failure datapoint.
      expression: `IF(whole >= ${thresholds.minRequests}, 100 * FILL(part, 0) / whole, 0)`,
      usingMetrics: { part, whole }, period: Duration.minutes(1), label: `${id} %`,
    });
    this.alarm(id, { alarmDescription, metric, threshold: percent, evaluationPeriods: 5, datapointsToAlarm: 3 });
  }

  private alarm(id: string, props: Omit<AlarmProps, 'comparisonOperator' | 'treatMissingData'>) {
    this.add(new Alarm(this, id, {
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      ...props,
    }));
  }
}
