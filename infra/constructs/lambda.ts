import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { lambdaBundling, projectRoot } from '../bundling/options.ts';
import { commonEnvironment, type FunctionContract, type TableAccess } from '../../shared/runtime.ts';


// Named actions rather than grantReadData/grantReadWriteData: those add dynamodb:Scan and stream reads,
// and the design allows no Scan on any request path, so IAM enforces it. Transactions need no action of their own.
const tableActions: Record<Exclude<TableAccess, 'none'>, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  readWrite: [
    'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
  ],
};

export interface AppFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'runtime' | 'architecture' | 'role' | 'logGroup' | 'memorySize' | 'timeout'> {
  /** Absolute path of the handler file; it exports `handler`. */
  entry: string;
  /** Service name: the `service` key in every log line and metric. */
  service: string;
  /** Memory, timeout and table rights, from the runtime contract (shared/runtime.ts) the local stack also runs by. */
  contract: FunctionContract;
}

/**
 * Every Lambda of the platform, set up once: newest Node.js on arm64 (cheaper, faster cold start),
 * X-Ray tracing, JSON logs kept three months, and a minified ESM bundle with source maps.
 */
export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const { service, environment, bundling, contract, ...rest } = props;
    // Our own role and log group (siblings, since `this` does not exist before super): the role then
    // holds write rights on this one log group instead of the AWSLambdaBasicExecutionRole managed policy.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${service} function`,
    });
    // Three months covers a whole holiday programme plus the finance follow-up, and no longer:
    // logs carry no personal data by design, but a short retention limits any that slips in.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.THREE_MONTHS });
    super(scope, id, {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: contract.memoryMb,
      timeout: Duration.seconds(contract.timeoutSeconds),
      description: contract.description,
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      role,
      logGroup,
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      bundling: {
        minify: lambdaBundling.minify,
        sourceMap: lambdaBundling.sourcemap,
        sourcesContent: lambdaBundling.sourcesContent,
        format: OutputFormat.ESM,
        target: lambdaBundling.target,
        mainFields: [...lambdaBundling.mainFields],
        banner: lambdaBundling.banner,
        esbuildArgs: { '--alias': Object.entries(lambdaBundling.alias).map(([from, to]) => `${from}=${to}`) },
        // Bundled, not taken from the runtime: a pinned SDK version, and tree-shaken cold starts we measure.
        bundleAwsSDK: true,
        ...bundling,
      },
      ...rest,
      environment: { SERVICE_NAME: service, ...commonEnvironment, ...environment },
    });
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resource-level permissions.',
    });
  }

  /** Grants the table rights and tells the function the table's name, in one call. */
  grantTable(table: ITable, access: TableAccess): void {
    // A function that needs no table is told nothing of it.
    if (access === 'none') return;
    table.grant(this, ...tableActions[access]);
    this.addEnvironment('TABLE_NAME', table.tableName);
    const tableId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement);
    Validations.of(this.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
      reason: 'Queries use the five GSIs of the one table; the wildcard covers only that table\'s indexes.',
    });
  }
}
