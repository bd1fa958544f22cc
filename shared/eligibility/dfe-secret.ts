import * as z from 'zod/mini';
import { CheckerUnavailable } from '../domain/eligibility.ts';

// DfE's client id and secret live in AWS Secrets Manager, never in the function's environment. They are
// read through the AWS Parameters and Secrets Lambda extension (a layer the stack adds), which caches
// them beside the function: no Secrets Manager SDK in the bundle, and nothing on the cold-start path.
// The secret holds JSON: { "clientId": "…", "clientSecret": "…" }.

/** The client id and secret DfE issued the council. */
export interface DfeCredentials { clientId: string; clientSecret: string }

const SecretValue = z.object({ SecretString: z.string() });
const DfeSecret = z.object({ clientId: z.string().check(z.minLength(1)), clientSecret: z.string().check(z.minLength(1)) });

export interface ExtensionOptions {
  /** The extension's port (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, 2773 by default). */
  port?: number;
  /** The function's session token, which the extension requires as proof of the caller. */
  sessionToken?: string;
  fetch?: typeof fetch;
}

/** Reads DfE's credentials from the secret when first asked. Errors say what failed, never what the secret holds. */
export function dfeCredentialsFromSecret(secretId: string, opts: ExtensionOptions = {}): () => Promise<DfeCredentials> {
  const port = opts.port ?? Number(process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773);
  const fetchFn = opts.fetch ?? globalThis.fetch;
  return async () => {
    const unavailable = (why: string) => new CheckerUnavailable(`DfE credentials could not be read: ${why}`, 30);
    let res: Response;
    try {
      res = await fetchFn(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, {
        headers: { 'X-Aws-Parameters-Secrets-Token': opts.sessionToken ?? process.env.AWS_SESSION_TOKEN ?? '' },
        signal: AbortSignal.timeout(1_000),
      });
    } catch {
      throw unavailable('the secrets extension did not answer');
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw unavailable(`the secrets extension answered ${res.status}`);
    }
    const value = SecretValue.safeParse(await res.json().catch(() => undefined));
    let secret: unknown;
    try {
      secret = value.success ? JSON.parse(value.data.SecretString) : undefined;
    } catch {
      secret = undefined;
    }
    const parsed = DfeSecret.safeParse(secret);
    if (!parsed.success) throw unavailable('the secret is not { clientId, clientSecret }');
    return parsed.data;
  };
}
