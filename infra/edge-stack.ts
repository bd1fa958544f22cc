import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CouncilProfile } from '../shared/council/profile.ts';
import { Firewall } from './constructs/firewall.ts';

export interface FamilyServicesEdgeProps extends StackProps {
  council: CouncilProfile;
}

/**
 * What CloudFront needs from us-east-1: the WAF web ACL (a CLOUDFRONT-scope ACL can be made nowhere else).
 * The London stack reads its ARN from this stack's outputs (a weak cross-region reference, docs/decisions/010).
 * No data lives here.
 */
export class FamilyServicesEdgeStack extends Stack {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: FamilyServicesEdgeProps) {
    super(scope, id, props);
    this.webAclArn = new Firewall(this, 'Firewall', { council: props.council }).webAcl.attrArn;
  }
}
