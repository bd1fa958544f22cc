import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDfeDouble, type DfeDouble } from '../../infra/local/dfe-double.ts';
import { CheckerUnavailable } from '../../shared/domain/eligibility.ts';
import { DfeEligibilityClient } from '../../shared/eligibility/dfe-client.ts';
import { dfeCredentialsFromSecret } from '../../shared/eligibility/dfe-secret.ts';

// DfE's credentials read from Secrets Manager through the Parameters and Secrets Lambda extension.
// The extension's HTTP contract, over loopback: GET /secretsmanager/get?secretId=… with the
// function's session token in X-Aws-Parameters-Secrets-Token, answering { SecretString }.

const creds = { clientId: 'haf-council', clientSecret: 's3cret-from-secrets-manager' };
const sessionToken = 'session-token-of-this-function';
let secretString = JSON.stringify(creds);
let reads = 0;
let dfe: DfeDouble;
let extension: Server;
let port: number;

beforeAll(async () => {
  dfe = await startDfeDouble({ port: 0, ...creds, processingMs: 50 });
  extension = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.headers['x-aws-parameters-secrets-token'] !== sessionToken) { res.writeHead(400).end('missing token'); return; }
    if (url.pathname !== '/secretsmanager/get' || url.searchParams.get('secretId') !== 'family-services/dfe') { res.writeHead(404).end(); return; }
    reads++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Name: 'family-services/dfe', SecretString: secretString }));
  });
  await new Promise<void>((resolve) => extension.listen(0, '127.0.0.1', resolve));
  port = (extension.address() as AddressInfo).port;
});
afterAll(async () => {
  await dfe?.stop();
  await new Promise<void>((resolve) => (extension ? extension.close(() => resolve()) : resolve()));
});

const fromSecret = (o: { token?: string; secretId?: string } = {}) =>
  dfeCredentialsFromSecret(o.secretId ?? 'family-services/dfe', { port, sessionToken: o.token ?? sessionToken });
const parent = { lastName: 'Smith', dateOfBirth: '1990-01-01', nationalInsuranceNumber: 'AB123456C' };
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: Error) => e);

describe('DfE credentials from Secrets Manager', () => {
  it('are read once, when the first token is needed, and the check goes through', async () => {
    const before = reads;
    const client = new DfeEligibilityClient({ baseUrl: dfe.url, credentials: fromSecret(), waitMs: 2_000 });
    expect(reads).toBe(before); // nothing at construction: the cold start does not wait for the secret
    await expect(client.check(parent)).resolves.toMatchObject({ outcome: 'eligible' });
    await expect(client.check(parent)).resolves.toMatchObject({ outcome: 'eligible' });
    expect(reads).toBe(before + 1);
  });

  it('are read again after DfE refuses them, so a rotated secret is picked up', async () => {
    secretString = JSON.stringify({ ...creds, clientSecret: 'the-old-secret' });
    const client = new DfeEligibilityClient({ baseUrl: dfe.url, credentials: fromSecret(), waitMs: 2_000 });
    const refused = await caught(client.check(parent));
    expect(refused).toBeInstanceOf(CheckerUnavailable);
    expect(refused.message).not.toContain('the-old-secret');
    secretString = JSON.stringify(creds);
    await expect(client.check(parent)).resolves.toMatchObject({ outcome: 'eligible' });
  });

  it('answer "unavailable" (503), never the secret, when the extension refuses, the secret is malformed, or nothing listens', async () => {
    for (const read of [
      fromSecret({ token: 'not-this-function' }),
      fromSecret({ secretId: 'someone-else' }),
      dfeCredentialsFromSecret('family-services/dfe', { port: 1, sessionToken }),
    ]) expect(await caught(read())).toBeInstanceOf(CheckerUnavailable);
    secretString = '{"clientId":"haf-council"}';
    const malformed = await caught(fromSecret()());
    expect(malformed).toMatchObject({ name: 'CheckerUnavailable', message: expect.stringMatching(/not \{ clientId, clientSecret \}/) });
    secretString = 'not json at all';
    expect(await caught(fromSecret()())).toBeInstanceOf(CheckerUnavailable);
    secretString = JSON.stringify(creds);
  });
});
