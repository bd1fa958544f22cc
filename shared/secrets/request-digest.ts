import { createHmac } from 'node:crypto';
import { config } from '../config.ts';
import type { RequestDigest } from '../domain/ports.ts';
import { secretString, type ExtensionOptions } from './extension.ts';

// What an idempotent request keeps of its body: an HMAC-SHA-256 digest under a server-side secret, never the
// body and never a plain hash (a plain hash of a surname, a date of birth and an NI number could be reversed by
// trying every NI number; without the secret, trying gets nowhere). Used to tell a retry from another request
// under the same Idempotency-Key, and only for that. The secret is read when first needed, once per container.

export type { RequestDigest };

/** A secret that could not be read: a 503 with Retry-After, as any dependency that is down. */
export class SecretUnavailable extends Error {
  override name = 'SecretUnavailable';
}

/** Digests keyed with the secret `read` gives; it is asked once, and again only after it failed. */
export function requestDigestWith(read: () => Promise<string>): RequestDigest {
  let secret: Promise<string> | undefined;
  return async (purpose, key, body) => {
    secret ??= read().catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    return createHmac('sha256', await secret).update(`${purpose}\u0000${key}\u0000${JSON.stringify(body)}`).digest('base64url');
  };
}

/**
 * In AWS, the Secrets Manager secret REQUEST_DIGEST_SECRET_ID names (the stack generates it), through the
 * Parameters and Secrets extension; locally, REQUEST_DIGEST_SECRET (the local stack makes one per start).
 */
export function requestDigestFromConfig(opts: ExtensionOptions = {}): RequestDigest {
  return requestDigestWith(async () => {
    const { REQUEST_DIGEST_SECRET_ID: secretId, REQUEST_DIGEST_SECRET: local } = config();
    const value = secretId
      ? await secretString(secretId, (why) => new SecretUnavailable(`The request digest secret could not be read: ${why}`), opts)
      : local;
    if (!value || value.length < 32) throw new SecretUnavailable('No request digest secret of at least 32 characters is configured');
    return value;
  });
}
