import * as z from 'zod/mini';
import { CheckerUnavailable } from '../domain/eligibility.ts';
import { lazily } from '../schemas/lazily.ts';
import { secretString, type ExtensionOptions } from '../secrets/extension.ts';

// DfE's client id and secret live in AWS Secrets Manager, never in the function's environment. They are
// read through the Parameters and Secrets extension (shared/secrets/extension.ts).
// The secret holds JSON: { "clientId": "…", "clientSecret": "…" }.

/** The client id and secret DfE issued the council. */
export interface DfeCredentials { clientId: string; clientSecret: string }

const DfeSecret = lazily(() => z.object({ clientId: z.string().check(z.minLength(1)), clientSecret: z.string().check(z.minLength(1)) }));

/** Reads DfE's credentials from the secret when first asked. Errors say what failed, never what the secret holds. */
export function dfeCredentialsFromSecret(secretId: string, opts: ExtensionOptions = {}): () => Promise<DfeCredentials> {
  return async () => {
    const unavailable = (why: string) => new CheckerUnavailable(`DfE credentials could not be read: ${why}`, 30);
    const text = await secretString(secretId, unavailable, opts);
    let secret: unknown;
    try {
      secret = JSON.parse(text);
    } catch {
      secret = undefined;
    }
    const parsed = DfeSecret.safeParse(secret);
    if (!parsed.success) throw unavailable('the secret is not { clientId, clientSecret }');
    return parsed.data;
  };
}
