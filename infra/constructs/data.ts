import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { indexes, primaryKey, streamView, ttlAttribute } from '../../shared/store/table.ts';

const text = (name: string) => ({ name, type: AttributeType.STRING });

/** The one table, built from the same description the local stack uses (shared/store/table.ts). */
export class Data extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: text(primaryKey.partition),
      sortKey: text(primaryKey.sort),
      billingMode: BillingMode.PAY_PER_REQUEST, // traffic comes in booking-window spikes, then quiet
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS managed key: use is logged in CloudTrail, and no key policy, key cost or kms:* grants on
      // every function. A customer-managed key pays off only for cross-account access or crypto-shredding.
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: ttlAttribute,
      stream: StreamViewType[streamView],
      // Children's records: a stack deletion or a mistaken replacement must never drop the table.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [indexName, ix] of Object.entries(indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: text(ix.partition),
        sortKey: text(ix.sort),
        projectionType: ProjectionType[ix.projection],
      });
    }
  }
}
