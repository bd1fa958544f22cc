// The one description of the table: CDK builds the AWS table from it and the local stack
// creates the DynamoDB Local table from it, so both always have the same keys and indexes.

export const primaryKey = { partition: 'pk', sort: 'sk' } as const;

/**
 * Overloaded global secondary indexes; which entity puts what in them is in docs/data-model.md. GSI5, the
 * family index, holds keys only: an application rewritten at completion keeps its keys, so its entry costs
 * one write unit when the reference is claimed and none after (a projection of ALL would be written again).
 */
export const indexes = {
  GSI1: { partition: 'gsi1pk', sort: 'gsi1sk', projection: 'ALL' },
  GSI2: { partition: 'gsi2pk', sort: 'gsi2sk', projection: 'ALL' },
  GSI3: { partition: 'gsi3pk', sort: 'gsi3sk', projection: 'ALL' },
  GSI4: { partition: 'gsi4pk', sort: 'gsi4sk', projection: 'ALL' },
  GSI5: { partition: 'gsi5pk', sort: 'gsi5sk', projection: 'KEYS_ONLY' },
} as const;

export type IndexName = keyof typeof indexes;

/** Epoch seconds; DynamoDB deletes the item soon after (retention of personal data, expired checks). */
export const ttlAttribute = 'expiresAtEpoch';

export const streamView = 'NEW_AND_OLD_IMAGES' as const;

/** CreateTable input for DynamoDB Local (and any tool that creates the table outside CDK). */
export function createTableInput(tableName: string) {
  const attrs = new Set<string>([primaryKey.partition, primaryKey.sort]);
  for (const ix of Object.values(indexes)) {
    attrs.add(ix.partition);
    attrs.add(ix.sort);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attrs].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: primaryKey.partition, KeyType: 'HASH' as const },
      { AttributeName: primaryKey.sort, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: Object.entries(indexes).map(([IndexName, ix]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: ix.partition, KeyType: 'HASH' as const },
        { AttributeName: ix.sort, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: ix.projection },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: streamView },
  };
}
