import * as z from 'zod/mini';

// Every setting a function or local tool reads, parsed once: a typo in an env var fails at start, not mid-request.
const Config = z.object({
  TABLE_NAME: z._default(z.string().check(z.minLength(1)), 'family-services'),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'eu-west-2'),
  /** Set locally to point the SDK at DynamoDB Local; unset in AWS. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  /** Set locally to point the SDK at aws-ses-v2-local; unset in AWS. */
  SES_ENDPOINT: z.optional(z.url()),
  MAIL_FROM: z._default(z.email(), 'holiday-clubs@family-services.example.gov.uk'),
  /** In AWS: the SES configuration set every email names, so its bounces and complaints are counted there. */
  SES_CONFIGURATION_SET: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
  /** Origins allowed by CORS (the booking site); comma-separated. */
  ALLOWED_ORIGINS: z._default(z.string(), 'http://127.0.0.1:3000,http://localhost:3000'),
  /** Public base URL of the booking site, used in emails. */
  SITE_URL: z._default(z.url(), 'http://127.0.0.1:3000'),
  SERVICE_NAME: z._default(z.string(), 'family-services'),
  /** DfE's free school meals eligibility checking API (locally, the double that npm start runs). */
  DFE_API_URL: z.optional(z.url()),
  /** In AWS: the Secrets Manager secret holding { clientId, clientSecret }, read through the Lambda extension. */
  DFE_SECRET_ID: z.optional(z.string()),
  /** Locally: the double's credentials, in plain environment variables. */
  DFE_CLIENT_ID: z.optional(z.string()),
  DFE_CLIENT_SECRET: z.optional(z.string()),
  /** The user pool's issuer, for a function that verifies a staff token itself (a public route taking an optional one). */
  JWT_ISSUER: z.optional(z.url()),
  /** The staff app client ids such a token may come from; comma-separated. */
  JWT_CLIENT_IDS: z._default(z.string(), ''),
  /** In AWS: the Secrets Manager secret that keys the digests idempotent requests keep of their bodies. */
  REQUEST_DIGEST_SECRET_ID: z.optional(z.string()),
  /** Locally: that secret itself (the local stack makes a new one each start). Never logged. */
  REQUEST_DIGEST_SECRET: z.optional(z.string()),
  /** How long a check may wait for DfE before we answer `pending`. */
  DFE_WAIT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(10_000)), 2_000),
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
