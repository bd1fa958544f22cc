import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Email } from './email.ts';
import type { AppFunction } from './lambda.ts';

export interface NotifierProps {
  /** The notifier function (table rights already granted). */
  fn: AppFunction;
  /** Batching and retries, from the runtime contract the local stack's stream poller also follows. */
  stream: { batchSize: number; retryAttempts: number; maxRecordAgeHours: number; bisectBatchOnError: boolean };
  table: ITable;
  email: Email;
}

/**
 * The outbox: the table's stream feeds the notifier, which sends confirmations with SES and offers freed places to waitlists.
 * A batch that keeps failing is split to find the bad record, retried, then parked in a dead-letter queue.
 */
export class Notifier extends Construct {
  readonly deadLetters: Queue;
  /** Its dead-letter and stream-age alarms, for the stack's monitoring to route. */
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);
    const { fn, table, email } = props;
    this.deadLetters = new Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14), // the longest SQS allows: time to investigate and resend
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
    });
    for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(this.deadLetters).acknowledge({
        id, reason: 'This queue is itself the dead-letter (on-failure) destination of the stream; it needs none of its own.',
      });
    }

    fn.addEventSource(new DynamoEventSource(table, {
      // From the oldest record: a message owed before the mapping existed (or while disabled) still goes out.
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: props.stream.batchSize,
      bisectBatchOnError: props.stream.bisectBatchOnError,
      retryAttempts: props.stream.retryAttempts,
      reportBatchItemFailures: true, // the handler may return { batchItemFailures } to retry only what failed
      maxRecordAge: Duration.hours(props.stream.maxRecordAgeHours),
      onFailure: new SqsDlq(this.deadLetters),
    }));
    Validations.of(fn.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray writes and dynamodb:ListStreams (added by the stream event source) have no resource-level permissions.',
    });
    email.grantSend(fn);
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'The notifier is fed by the table stream, whose failed batches go to the mapping\'s on-failure queue (DeadLetters); '
        + 'a function dead-letter queue takes only asynchronous invocations, of which it has none.',
    });

    this.alarms = [
      new Alarm(this, 'DeadLetterAlarm', {
        alarmDescription: 'Confirmation emails failed after all retries: read the queue, fix, and resend from the outbox.',
        metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: Stats.MAXIMUM }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      // Falling behind shows here long before anything reaches the dead-letter queue.
      new Alarm(this, 'IteratorAgeAlarm', {
        alarmDescription: 'The notifier is more than 15 minutes behind the table stream: confirmations are late.',
        metric: fn.metric('IteratorAge', { period: Duration.minutes(5), statistic: Stats.MAXIMUM }),
        threshold: Duration.minutes(15).toMilliseconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}
