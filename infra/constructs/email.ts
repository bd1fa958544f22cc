import { Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet, ConfigurationSetTlsPolicy, EmailIdentity, Identity, SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface EmailProps {
  /** The council's sending domain, e.g. family-services.example.gov.uk. */
  domain: string;
}

/** The SES domain identity confirmations are sent from, with its configuration set. */
export class Email extends Construct {
  /** The sender address the functions put in MAIL_FROM. */
  readonly from: string;
  readonly identity: EmailIdentity;
  private readonly identityArn: string;
  private readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    const configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      // Stop mailing addresses that bounced or complained: protects the council's sending reputation.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // Messages carry children's names and session details: never send them over plain SMTP.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    // Easy DKIM: the three CNAME records (stack outputs) go into the council's DNS before SES will send.
    this.identity = new EmailIdentity(this, 'Identity', { identity: Identity.domain(props.domain), configurationSet });
    this.from = `holiday-clubs@${props.domain}`;
    const stack = Stack.of(this);
    this.identityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.domain });
    this.configurationSetArn = stack.formatArn({
      service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName,
    });
  }

  /** ses:SendEmail through this identity only, and only as the platform's sender address. */
  grantSend(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail'],
      resourceArns: [this.identityArn, this.configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': this.from } },
    });
  }
}
