import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../shared/config.ts';
import { toProblem } from '../../shared/http/responses.ts';
import { requestDigestFromConfig, requestDigestWith, SecretUnavailable } from '../../shared/secrets/request-digest.ts';

// The digest an idempotent request keeps of its key and body: HMAC-SHA-256 under a server-side secret, read
// once per container, so a digest of a surname, a date of birth and an NI number cannot be reversed by trying.

const secretA = 'a'.repeat(32);
const secretB = 'b'.repeat(32);
const body = { lastName: 'Smith', dateOfBirth: '1990-02-03', nationalInsuranceNumber: 'AB123456C' };
const env = { ...process.env };

afterEach(() => {
  process.env = { ...env };
  resetConfig();
});

describe('the request digest', () => {
  it('is HMAC-SHA-256 of purpose, key and body under the secret, not a plain hash', async () => {
    const digest = await requestDigestWith(async () => secretA)('checkEligibility', 'key-1', body);
    const text = `checkEligibility\u0000key-1\u0000${JSON.stringify(body)}`;
    expect(digest).toBe(createHmac('sha256', secretA).update(text).digest('base64url'));
    expect(digest).not.toBe(createHash('sha256').update(text).digest('base64url'));
  });

  it('differs with another secret, purpose, key or body, and is the same for the same ones', async () => {
    const [a, b] = [requestDigestWith(async () => secretA), requestDigestWith(async () => secretB)];
    const first = await a('application', 'key-1', body);
    expect(await requestDigestWith(async () => secretA)('application', 'key-1', body)).toBe(first);
    for (const other of [await b('application', 'key-1', body), await a('referral', 'key-1', body), await a('application', 'key-2', body),
      await a('application', 'key-1', { ...body, nationalInsuranceNumber: 'AB123458C' })]) expect(other).not.toBe(first);
  });

  it('reads the secret once, even when asked many times at once, and again only after a failed read', async () => {
    let reads = 0;
    let fail = true;
    const digest = requestDigestWith(async () => {
      reads++;
      if (fail) throw new SecretUnavailable('not yet');
      return secretA;
    });
    await expect(digest('application', 'k', body)).rejects.toThrow(SecretUnavailable);
    fail = false;
    await Promise.all(Array.from({ length: 10 }, () => digest('application', 'k', body)));
    await digest('application', 'k2', body);
    expect(reads).toBe(2);
  });

  it('takes the local secret from REQUEST_DIGEST_SECRET, and refuses none or a short one (a 503, never the value)', async () => {
    process.env.REQUEST_DIGEST_SECRET = secretA;
    resetConfig();
    expect(await requestDigestFromConfig()('application', 'k', body)).toBe(await requestDigestWith(async () => secretA)('application', 'k', body));
    process.env.REQUEST_DIGEST_SECRET = 'short-secret';
    resetConfig();
    const short = await requestDigestFromConfig()('application', 'k', body).catch((e: Error) => e);
    expect(short).toBeInstanceOf(SecretUnavailable);
    expect((short as Error).message).not.toContain('short-secret');
    delete process.env.REQUEST_DIGEST_SECRET;
    resetConfig();
    await expect(requestDigestFromConfig()('application', 'k', body)).rejects.toThrow(SecretUnavailable);
  });

  it('in AWS reads the secret REQUEST_DIGEST_SECRET_ID names through the extension, when first needed, never at load', async () => {
    process.env.REQUEST_DIGEST_SECRET_ID = 'family-services/request-digest';
    process.env.REQUEST_DIGEST_SECRET = secretB; // ignored where the secret is named
    resetConfig();
    const asked: string[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      asked.push(`${url} ${(init.headers as Record<string, string>)['X-Aws-Parameters-Secrets-Token']}`);
      return new Response(JSON.stringify({ Name: 'family-services/request-digest', SecretString: secretA }), { status: 200 });
    }) as typeof globalThis.fetch;
    const digest = requestDigestFromConfig({ port: 2773, sessionToken: 'session', fetch });
    expect(asked).toEqual([]);
    expect(await digest('application', 'k', body)).toBe(await requestDigestWith(async () => secretA)('application', 'k', body));
    await digest('application', 'k2', body);
    expect(asked).toEqual(['http://localhost:2773/secretsmanager/get?secretId=family-services%2Frequest-digest session']);
    const down = requestDigestFromConfig({ port: 2773, fetch: (async () => new Response('no', { status: 500 })) as typeof globalThis.fetch });
    await expect(down('application', 'k', body)).rejects.toMatchObject({ name: 'SecretUnavailable', message: expect.stringMatching(/answered 500/) });
  });

  it('that cannot be read is a 503 with Retry-After, as any dependency that is down', () => {
    const problem = toProblem(new SecretUnavailable('The request digest secret could not be read: the secrets extension did not answer'));
    expect([problem.status, Number(problem.headers['retry-after']) > 0]).toEqual([503, true]);
  });
});
