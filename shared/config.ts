import * as z from 'zod';

// Every setting a function or local tool reads, parsed once: a typo in an env var fails at start, not mid-request.
const Config = z.object({
  TABLE_NAME: z.string().min(1).default('family-services'),
  AWS_REGION: z.string().min(1).default('eu-west-2'),
  /** Set locally to point the SDK at DynamoDB Local; unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Set locally to point the SDK at aws-ses-v2-local; unset in AWS. */
  SES_ENDPOINT: z.url().optional(),
  MAIL_FROM: z.email().default('holiday-clubs@family-services.example.gov.uk'),
  /** Origins allowed by CORS (the booking site); comma-separated. */
  ALLOWED_ORIGINS: z.string().default('http://127.0.0.1:3000,http://localhost:3000'),
  /** Public base URL of the booking site, used in emails. */
  SITE_URL: z.url().default('http://127.0.0.1:3000'),
  POWERTOOLS_SERVICE_NAME: z.string().default('family-services'),
  /** DfE's free school meals eligibility checking API (locally, the double that npm start runs). */
  DFE_API_URL: z.url().optional(),
  /** In AWS: the Secrets Manager secret holding { clientId, clientSecret }, read through the Lambda extension. */
  DFE_SECRET_ID: z.string().optional(),
  /** Locally: the double's credentials, in plain environment variables. */
  DFE_CLIENT_ID: z.string().optional(),
  DFE_CLIENT_SECRET: z.string().optional(),
  /** How long a check may wait for DfE before we answer `pending`. */
  DFE_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(2_000),
});

export type Config = z.infer<typeof Config>;

let cached: Config | undefined;

export function config(): Config {
  cached ??= Config.parse(process.env);
  return cached;
}

/** Tests and the local stack change the environment after import; this forgets the parsed copy. */
export function resetConfig(): void {
  cached = undefined;
}
