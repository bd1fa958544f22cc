import type { Context } from 'aws-lambda';

// One structured logger per process: a JSON line per entry with the level, the service, the Lambda
// request and the request's route and correlation id, and never a request or response body: every body
// here is about a child or a family. The shape follows Powertools Logger's (decision 006 says why it is
// our own: Powertools logger and metrics were a sixth of each bundle, measured).

const levels = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 99 } as const;
type Level = Exclude<keyof typeof levels, 'SILENT'>;
type Fields = Record<string, unknown>;

const threshold = () => levels[(process.env.LOG_LEVEL ?? 'INFO').toUpperCase() as keyof typeof levels] ?? levels.INFO;

class Logger {
  private request: Fields = {};
  private keys: Fields = {};
  private coldStart = true;

  /** At the start of each invocation: the Lambda request it belongs to, and no keys left from the last. */
  startInvocation(context: Pick<Context, 'functionName' | 'awsRequestId' | 'invokedFunctionArn' | 'memoryLimitInMB'>): void {
    this.keys = {};
    this.request = {
      cold_start: this.coldStart, function_name: context.functionName, function_request_id: context.awsRequestId,
      function_arn: context.invokedFunctionArn, function_memory_size: context.memoryLimitInMB,
    };
    this.coldStart = false;
  }

  /** Keys every later line of this invocation carries (route, correlation id). */
  appendKeys(keys: Fields): void {
    Object.assign(this.keys, keys);
  }

  debug(message: string, fields?: Fields): void { this.write('DEBUG', message, fields); }
  info(message: string, fields?: Fields): void { this.write('INFO', message, fields); }
  warn(message: string, fields?: Fields): void { this.write('WARN', message, fields); }
  error(message: string, fields?: Fields): void { this.write('ERROR', message, fields); }

  private write(level: Level, message: string, fields?: Fields): void {
    if (levels[level] < threshold()) return;
    const line = JSON.stringify({
      level, message, timestamp: new Date().toISOString(), service: process.env.SERVICE_NAME ?? 'family-services',
      ...this.request, ...this.keys, ...fields,
    });
    // Straight to the stream, as Powertools does: Lambda's JSON log format keeps a JSON line as it is.
    (levels[level] >= levels.WARN ? process.stderr : process.stdout).write(`${line}\n`);
  }
}

export const logger = new Logger();
