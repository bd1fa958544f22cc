import { Logger } from '@aws-lambda-powertools/logger';

// One logger per process. It carries request metadata (route, status, correlation id) and
// never request or response bodies: every body here is about a child or a family.
export const logger = new Logger({ logLevel: (process.env.POWERTOOLS_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO' });
