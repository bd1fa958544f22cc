// How each function runs, written once: the CDK stack deploys it so and the local stack runs it so
// (memory and timeout in the Lambda context, the stream's batches and retries, the environment).

export type TableAccess = 'none' | 'read' | 'readWrite';

export interface FunctionContract {
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Rights on the one table; no function may Scan (docs/decisions/001). */
  table: TableAccess;
  /** Fed by the table's stream: batch size, retries before the dead-letter queue, oldest record worth trying. */
  stream?: { batchSize: number; retryAttempts: number; maxRecordAgeHours: number; bisectBatchOnError: boolean };
}

export const functions = {
  'public-api': { description: 'Parents and referrers: catalogue, applications, cancellations', memoryMb: 1024, timeoutSeconds: 10, table: 'readWrite' },
  'eligibility-api': { description: 'Parents and referrers: free school meal checks, with DfE or of a council code', memoryMb: 1024, timeoutSeconds: 10, table: 'readWrite' },
  'admin-api': { description: 'The programme team: programmes, providers, agreements, sessions, codes, subject access and erasure requests', memoryMb: 1024, timeoutSeconds: 10, table: 'readWrite' },
  'provider-api': { description: 'Provider systems: own sessions, attendance lists, registers', memoryMb: 1024, timeoutSeconds: 10, table: 'readWrite' },
  'finance-api': { description: 'Finance officers: reconciliation, payments ledger, statements, closing a holiday, the DfE return', memoryMb: 1024, timeoutSeconds: 10, table: 'readWrite' },
  docs: { description: 'The OpenAPI document, generated from the route table', memoryMb: 512, timeoutSeconds: 10, table: 'none' },
  site: { description: 'The booking site: pages and forms over the same services as the API', memoryMb: 1024, timeoutSeconds: 10, table: 'readWrite' },
  'referrer-api': { description: 'Partner staff signed in: referrals acted on at once, their own list', memoryMb: 1024, timeoutSeconds: 10, table: 'readWrite' },
  notifier: {
    // A batch is up to 10 emails sent one by one: more room than a request handler needs.
    description: 'The table stream: emails owed, places owed to waitlists', memoryMb: 1024, timeoutSeconds: 30, table: 'readWrite',
    stream: { batchSize: 10, retryAttempts: 5, maxRecordAgeHours: 6, bisectBatchOnError: true },
  },
} as const satisfies Record<string, FunctionContract>;

export type FunctionId = keyof typeof functions;

/** Environment every function gets, besides what its wiring adds (table name, mail sender, the council profile). */
export const commonEnvironment = {
  LOG_LEVEL: 'INFO',
  METRICS_NAMESPACE: 'FamilyServices',
} as const;

/** How long a run may hold an application it is working on: just past the public API's timeout. */
export const applicationLeaseMs = (functions['public-api'].timeoutSeconds + 1) * 1000;

/**
 * How long a function waits on the table before calling it down (docs/decisions/012): a stalled DynamoDB
 * answers the caller 503 with Retry-After well inside the 10 s function timeout, never hangs it.
 * Worst case per call: maxAttempts × requestTimeoutMs plus the SDK's backoff, about 4.5 s.
 */
export const tableClient = { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 2 } as const;

/** SES likewise, per email: attempts for throttling, bounded waits for a stalled SES (the stream retries the record after that). */
export const mailClient = { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 2 } as const;
