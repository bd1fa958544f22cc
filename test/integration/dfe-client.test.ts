import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDfeDouble, type DfeDouble } from '../../infra/local/dfe-double.ts';
import { CheckerUnavailable, type ParentIdentity } from '../../shared/domain/eligibility.ts';
import { DfeEligibilityClient, DfeRejectedRequest, type DfeClientOptions } from '../../shared/eligibility/dfe-client.ts';
import { FakeClock } from '../support/fake-clock.ts';

// Real HTTP over loopback against the DfE double; identities are the double's documented table.
// Client and double share one fake clock: the client's pauses between polls move it, and a test
// moves it to let a check finish or a token expire, so nothing here waits for time to pass.
const creds = { clientId: 'haf-council', clientSecret: 's3cret-for-tests' };
const clock = new FakeClock();
let dfe: DfeDouble;
const client = (o: Partial<DfeClientOptions> = {}) =>
  new DfeEligibilityClient({ baseUrl: dfe.url, credentials: creds, waitMs: 2_000, timeoutMs: 1_000, clock, ...o });
const parent = (lastName: string, nationalInsuranceNumber = 'AB123456C'): ParentIdentity =>
  ({ lastName, dateOfBirth: '1990-01-01', nationalInsuranceNumber });
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: Error) => e);

beforeAll(async () => {
  dfe = await startDfeDouble({ port: 0, ...creds, processingMs: 100, slowCheckMs: 1_000, slowResponseMs: 3_000, clock });
});
afterAll(async () => dfe?.stop());
afterEach(() => dfe.setMode('normal'));

describe('outcomes', () => {
  it('eligible, notEligible and parentNotFound, after really polling', async () => {
    const c = client();
    const polls = dfe.stats.statusRequests;
    await expect(c.check(parent('Smith'))).resolves.toMatchObject({ outcome: 'eligible', dfeCheckId: expect.any(String) });
    expect(dfe.stats.statusRequests).toBeGreaterThan(polls);
    await expect(c.check(parent('jones'))).resolves.toMatchObject({ outcome: 'notEligible' });
    await expect(c.check(parent('UNKNOWN'))).resolves.toMatchObject({ outcome: 'parentNotFound' });
  });

  it('any other surname: even last NI digit eligible, odd not; spaces and case in the NI number are fine', async () => {
    const c = client();
    await expect(c.check(parent('Patel', 'ab 12 34 56 c'))).resolves.toMatchObject({ outcome: 'eligible' });
    await expect(c.check(parent('Patel', 'AB123457C'))).resolves.toMatchObject({ outcome: 'notEligible' });
  });

  it('a NASS number instead of an NI number', async () => {
    const r = await client().check({ lastName: 'Okafor', dateOfBirth: '1988-03-14', nationalAsylumSeekerServiceNumber: '240712349' });
    expect(r.outcome).toBe('eligible');
  });

  it('pending when DfE is still processing after the wait budget, then status() gives the outcome', async () => {
    const c = client({ waitMs: 200 });
    const started = clock.now();
    const polls = dfe.stats.statusRequests;
    const r = await c.check(parent('Slow'));
    // It polled, then gave up exactly when its wait budget ran out, not a pause later.
    expect(clock.now() - started).toBe(200);
    expect(dfe.stats.statusRequests).toBeGreaterThan(polls);
    expect(r).toMatchObject({ outcome: 'pending', dfeCheckId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await expect(c.status(r.dfeCheckId!)).resolves.toEqual({ outcome: 'pending', dfeCheckId: r.dfeCheckId });
    clock.advance(1_000);
    await expect(c.status(r.dfeCheckId!)).resolves.toEqual({ outcome: 'eligible', dfeCheckId: r.dfeCheckId });
  });

  it('waitMs 0 answers pending straight after submitting', async () => {
    const started = clock.now();
    const polls = dfe.stats.statusRequests;
    await expect(client({ waitMs: 0 }).check(parent('Smith'))).resolves.toMatchObject({ outcome: 'pending' });
    expect([clock.now() - started, dfe.stats.statusRequests - polls]).toEqual([0, 0]);
  });
});

describe('failures', () => {
  it('DfE status error ⇒ CheckerUnavailable with a retry hint', async () => {
    const e = await caught(client().check(parent('Broken')));
    expect(e).toBeInstanceOf(CheckerUnavailable);
    expect((e as CheckerUnavailable).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('DfE down ⇒ CheckerUnavailable, for a new client (token) and one holding a token (check)', async () => {
    const warm = client();
    await warm.check(parent('Smith'));
    dfe.setMode('down');
    await expect(client().check(parent('Smith'))).rejects.toBeInstanceOf(CheckerUnavailable);
    await expect(warm.check(parent('Smith'))).rejects.toBeInstanceOf(CheckerUnavailable);
    await expect(warm.status('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(CheckerUnavailable);
  });

  // Real I/O: the double holds its response back for 3 s of real time and the client's 300 ms request
  // timeout cuts it off. Had the timeout not fired, the held response would have come and succeeded.
  it('DfE slower than the request timeout ⇒ CheckerUnavailable within bounded time', async () => {
    const c = client({ timeoutMs: 300 });
    await c.check(parent('Smith')); // hold a token, so the slow call is the check itself
    dfe.setMode('slow');
    const e = await caught(c.check(parent('Smith')));
    expect(e).toBeInstanceOf(CheckerUnavailable);
    expect(e.message).toMatch(/in time/);
  });

  it('wrong client secret ⇒ CheckerUnavailable, and the secret is not in the message', async () => {
    const e = await caught(client({ credentials: { ...creds, clientSecret: 'wrong-secret' } }).check(parent('Smith')));
    expect(e).toBeInstanceOf(CheckerUnavailable);
    expect(e.message).not.toContain('wrong-secret');
  });

  it('nothing listening ⇒ CheckerUnavailable', async () => {
    const gone = await startDfeDouble({ port: 0, ...creds });
    const url = gone.url;
    await gone.stop();
    await expect(new DfeEligibilityClient({ baseUrl: url, credentials: creds, clock }).check(parent('Smith'))).rejects.toBeInstanceOf(CheckerUnavailable);
  });

  it('DfE rejecting the input ⇒ DfeRejectedRequest; an unknown check id too', async () => {
    const e = await caught(client().check(parent('Smith', 'QQ12345')));
    expect(e).toBeInstanceOf(DfeRejectedRequest);
    expect((e as DfeRejectedRequest).status).toBe(400);
    await expect(client().check({ ...parent('Smith'), dateOfBirth: '01/01/1990' })).rejects.toBeInstanceOf(DfeRejectedRequest);
    await expect(client().status('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ status: 404 });
    await expect(client().status('../oauth2/token')).rejects.toBeInstanceOf(DfeRejectedRequest);
  });

  it('no error carries the NI number, surname or date of birth', async () => {
    const ni = 'QQ123456C';
    const errors: Error[] = [];
    const collect = (p: Promise<unknown>) => p.catch((e: Error) => { errors.push(e); });
    await collect(client().check({ lastName: 'Broken', dateOfBirth: '1979-12-31', nationalInsuranceNumber: ni }));
    await collect(client().check({ lastName: 'Smith', dateOfBirth: '1979-12-31', nationalInsuranceNumber: 'QQ12' }));
    await collect(client().check({ lastName: 'Smith', dateOfBirth: '31/12/1979', nationalInsuranceNumber: ni }));
    dfe.setMode('down');
    await collect(client().check({ lastName: 'Broken', dateOfBirth: '1979-12-31', nationalInsuranceNumber: ni }));
    expect(errors).toHaveLength(4);
    for (const e of errors) {
      const text = `${e.message} ${e.stack} ${JSON.stringify(e)} ${String(e.cause ?? '')}`;
      for (const secret of [ni, 'QQ12', 'Broken', 'Smith', '1979', creds.clientSecret]) expect(text).not.toContain(secret);
    }
  });
});

describe('tokens', () => {
  it('one token for many calls, and one token request shared by concurrent callers', async () => {
    const before = dfe.stats.tokenRequests;
    const c = client();
    await Promise.all([1, 2, 3, 4, 5].map(() => c.check(parent('Smith'))));
    await c.check(parent('Jones'));
    expect(dfe.stats.tokenRequests - before).toBe(1);
  });

  it('a token DfE no longer honours (401) is dropped, a new one fetched and the call retried once', async () => {
    const c = client();
    await c.check(parent('Smith'));
    const before = { ...dfe.stats };
    dfe.revokeTokens();
    await expect(c.check(parent('Smith'))).resolves.toMatchObject({ outcome: 'eligible' });
    expect(dfe.stats.tokenRequests - before.tokenRequests).toBe(1);
    expect(dfe.stats.unauthorised - before.unauthorised).toBe(1);
  });

  describe('with tokens that expire after a second', () => {
    let short: DfeDouble;
    beforeAll(async () => { short = await startDfeDouble({ port: 0, ...creds, tokenTtlSeconds: 1, clock }); });
    afterAll(async () => short?.stop());

    it('the client refreshes an expired token and succeeds', async () => {
      const c = new DfeEligibilityClient({ baseUrl: short.url, credentials: creds, waitMs: 2_000, clock });
      await expect(c.check(parent('Smith'))).resolves.toMatchObject({ outcome: 'eligible' });
      clock.advance(1_100);
      await expect(c.check(parent('Smith'))).resolves.toMatchObject({ outcome: 'eligible' });
      // Renewed ahead of expiry, so the double never had to refuse the old token.
      expect([short.stats.tokenRequests, short.stats.unauthorised]).toEqual([2, 0]);
    });
  });
});
