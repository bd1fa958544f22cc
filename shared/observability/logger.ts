import { Logger } from '@aws-lambda-powertools/logger';

// One logger per process. It carries request metadata (route, status, correlation id) and
// never request or response bodies: every body here is about a child or a family.
// The level comes from POWERTOOLS_LOG_LEVEL when this module loads (Powertools resets to it on every invocation).
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'family-services' });
