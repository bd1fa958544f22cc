import { Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  CloudWatchDimensionSource, ConfigurationSet, ConfigurationSetTlsPolicy, EmailIdentity, EmailSendingEvent, EventDestination,
  Identity, SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface EmailProps {
  /** The council's sending domain, e.g. family-services.example.gov.uk. */
  domain: string;
}

/**
 * What happens to each email, counted in CloudWatch. Never opens or clicks: SES would add a tracking image to
 * every email and rewrite its links (the manage link among them) to follow parents.
 */
export const countedEvents = [
  EmailSendingEvent.SEND, EmailSendingEvent.DELIVERY, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.REJECT, EmailSendingEvent.DELIVERY_DELAY, EmailSendingEvent.RENDERING_FAILURE,
];

/** The SES domain identity confirmations are sent from, with its configuration set. */
export class Email extends Construct {
  /** The sender address the functions put in MAIL_FROM. */
  readonly from: string;
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  private readonly identityArn: string;
  private readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // Bounce and complaint rates of this set's mail in CloudWatch (the alarms in monitoring.ts read them).
      reputationMetrics: true,
      // Stop mailing addresses that bounced or complained: protects the council's sending reputation.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // Messages carry children's names and session details: never send them over plain SMTP.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    // No tag of this name is sent, so every event counts under the set's own name.
    this.configurationSet.addEventDestination('CloudWatch', {
      destination: EventDestination.cloudWatchDimensions([{
        name: 'ConfigurationSet', source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: this.configurationSet.configurationSetName,
      }]),
      events: countedEvents,
    });
    // Easy DKIM: the three CNAME records (stack outputs) go into the council's DNS before SES will send.
    this.identity = new EmailIdentity(this, 'Identity', { identity: Identity.domain(props.domain), configurationSet: this.configurationSet });
    this.from = `holiday-clubs@${props.domain}`;
    const stack = Stack.of(this);
    this.identityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.domain });
    this.configurationSetArn = stack.formatArn({
      service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName,
    });
  }

  /** A reputation rate of this set's mail (a fraction, 0.01 is 1 %), as SES publishes it. */
  reputation(rate: 'BounceRate' | 'ComplaintRate'): Metric {
    return new Metric({
      namespace: 'AWS/SES', metricName: `Reputation.${rate}`, statistic: 'Maximum', period: Duration.hours(1),
      dimensionsMap: { 'ses:configuration-set': this.configurationSet.configurationSetName },
    });
  }

  /**
   * ses:SendEmail through this identity only, and only as the platform's sender address; the function is told the
   * configuration set to name in every request (shared/mail/sender.ts), so its mail is counted there.
   */
  grantSend(fn: LambdaFunction): Grant {
    fn.addEnvironment('SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
    return Grant.addToPrincipal({
      grantee: fn,
      actions: ['ses:SendEmail'],
      resourceArns: [this.identityArn, this.configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': this.from } },
    });
  }
}
