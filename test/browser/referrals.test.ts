import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { bornYearsAgo, day, instant } from '../support/clock.ts';
import { audit, emailsTo, launch, phone } from './site.ts';

// The page a referrer's emailed link opens: a GET shows a button and confirms nothing (mail scanners follow
// links); pressing it confirms and places the referral; a link cut short, or seven days old, says what to do.

let stack: LocalStack;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  const { startLocalStack } = await import('../../infra/local/stack.ts');
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false, quiet: true });
  admin = await stack.mintToken('admin');
  browser = await launch();
  const put = async (path: string, body: unknown) => {
    const r = await fetch(`${stack.url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (r.status >= 300) throw new Error(`PUT ${path}: ${r.status} ${await r.text()}`);
  };
  await put('/v1/admin/programmes/site-af', {
    scheme: 'ACTIVE_FAMILIES', name: 'Site Active Families', startDate: day(-1), endDate: day(300), bookingOpensAt: instant(-1), bookingClosesAt: instant(300),
  });
  await put('/v1/admin/providers/site-af-hub', { name: 'Hub Sport CIC', contactEmail: 'hub@example.org', districts: ['Melton'] });
  await put('/v1/admin/programmes/site-af/agreements/site-af-hub', { grantAllocationPence: 0, ratePencePerChildDay: 0, placesCommissioned: 5, paymentBasis: 'booked' });
});
afterAll(async () => {
  setClockBack();
  await browser?.close();
  await stack?.stop();
});
const setClockBack = () => stack?.setClock(undefined);

/** A referral from a key worker's address, and the link emailed to it. */
async function refer(i: number) {
  const referrerEmail = `site.referrer${i}@leics.gov.uk`;
  const res = await fetch(`${stack.url}/v1/applications`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      scheme: 'ACTIVE_FAMILIES', programmeId: 'site-af', district: 'Melton', consent: { dataProcessing: true },
      referrer: { organisation: 'Family Wellbeing', name: 'Sam Keyworker', email: referrerEmail },
      family: {
        parent: { firstName: 'Alex', lastName: 'Example', email: `site.family${i}@example.org`, postcode: 'LE13 1AA' },
        members: [{ firstName: 'Jo', lastName: 'Example', dateOfBirth: bornYearsAgo(8) }],
      },
    }),
  });
  const created = (await res.json()) as { reference: string; manageToken: string };
  const [ask] = await emailsTo(stack, referrerEmail);
  const link = /https?:\/\/\S+?(\/referrals\/confirm\?reference=[\w-]+&token=[\w-]+)/.exec(ask!.body.text ?? '')![1]!;
  return { ...created, path: link, referrerEmail };
}

const statusOf = async (r: { reference: string; manageToken: string }) =>
  ((await (await fetch(`${stack.url}/v1/applications/${r.reference}`, { headers: { 'x-manage-token': r.manageToken } })).json()) as { status: string }).status;

describe('the referrer\'s confirmation page', () => {
  for (const js of [true, false]) {
    it(`confirms only when the button is pressed, then says what happened (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const referral = await refer(js ? 1 : 2);
      const context = await phone(browser, js);
      const page = await context.newPage();
      const opened = await page.goto(`${stack.url}${referral.path}`);
      expect(opened?.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Confirm your referral');
      // Nothing about the family is on the page: whoever holds the link learns only that a referral waits.
      expect(await page.content()).not.toContain('Alex');
      await audit(page, `referral-confirm${js ? '' : '-nojs'}`, !js);
      expect(await statusOf(referral)).toBe('awaitingReferrer');

      await page.getByRole('button', { name: 'Confirm the referral' }).click();
      await page.waitForURL(/\/referrals\/confirmed\?reference=/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Referral confirmed');
      expect(await page.locator('.govuk-notification-banner').innerText()).toContain('The family has a place with a provider');
      await audit(page, `referral-confirmed${js ? '' : '-nojs'}`, !js);
      expect(await statusOf(referral)).toBe('accepted');
      await context.close();
    });
  }

  it('says a link cut short or changed does not work, and confirms nothing', async () => {
    const referral = await refer(3);
    const context = await phone(browser);
    const page = await context.newPage();
    expect((await page.goto(`${stack.url}/referrals/confirm?reference=${referral.reference}`))?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This link does not work');
    await audit(page, 'referral-link-broken');

    await page.goto(`${stack.url}${referral.path.replace(/token=[\w-]{4}/, 'token=AAAA')}`);
    await page.getByRole('button', { name: 'Confirm the referral' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This link does not work');
    expect(await statusOf(referral)).toBe('awaitingReferrer');
    await context.close();
  });

  it('says a link over seven days old has expired, and what to do', async () => {
    const referral = await refer(4);
    const context = await phone(browser);
    const page = await context.newPage();
    stack.setClock(new Date(Date.now() + 8 * 24 * 3600_000));
    try {
      await page.goto(`${stack.url}${referral.path}`);
      await page.getByRole('button', { name: 'Confirm the referral' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This link has expired');
      expect(await page.locator('main').textContent()).toContain('Please send the referral again');
      await audit(page, 'referral-link-expired');
    } finally {
      setClockBack();
    }
    expect(await statusOf(referral)).toBe('awaitingReferrer');
    await context.close();
  });
});
