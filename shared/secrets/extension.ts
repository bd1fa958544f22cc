import * as z from 'zod/mini';
import { lazily } from '../schemas/lazily.ts';

// Secrets Manager through the AWS Parameters and Secrets Lambda extension (a layer the stack adds), which
// caches them beside the function: no Secrets Manager SDK in the bundle, and nothing on the cold-start path.
// Errors say what failed, never what the secret holds.

export interface ExtensionOptions {
  /** The extension's port (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, 2773 by default). */
  port?: number;
  /** The function's session token, which the extension requires as proof of the caller. */
  sessionToken?: string;
  fetch?: typeof fetch;
}

const SecretValue = lazily(() => z.object({ SecretString: z.string() }));

/** The secret's string, or `unavailable(why)` thrown when it cannot be had. */
export async function secretString(secretId: string, unavailable: (why: string) => Error, opts: ExtensionOptions = {}): Promise<string> {
  const port = opts.port ?? Number(process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773);
  const fetchFn = opts.fetch ?? globalThis.fetch;
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
  if (!value.success) throw unavailable('the secrets extension answered without a SecretString');
  return value.data.SecretString;
}
