import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { bornYearsAgo } from '../support/clock.ts';
import { audit, emailsTo, holiday, launch, phone } from './site.ts';

// A parent books two children on a phone, end to end: start page to confirmation, the email, the manage
// link and a cancellation; once with JavaScript and once without. Every page is audited with axe.

let stack: LocalStack;
let browser: Browser;
let trip: Awaited<ReturnType<typeof holiday>>;

beforeAll(async () => {
  const { startLocalStack } = await import('../../infra/local/stack.ts');
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false, quiet: true });
  trip = await holiday(stack, 'journey', [
    { suffix: 'monday-sports', days: 14, capacity: 10, district: 'Blaby' },
    { suffix: 'tuesday-arts', days: 15, capacity: 10, district: 'Blaby' },
    { suffix: 'wednesday-full', days: 16, capacity: 1, district: 'Melton' },
  ]);
  // Another family takes the one place on Wednesday first, so Ben joins its waiting list.
  const taken = await fetch(`${stack.url}/v1/applications`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      scheme: 'HAF', programmeId: trip.programmeId, eligibility: { code: trip.codes[9] }, consent: { dataProcessing: true },
      parent: { firstName: 'Other', lastName: 'Family', email: 'other.family@example.org', postcode: 'LE3 8AA' },
      children: [{ firstName: 'Zoe', lastName: 'Family', dateOfBirth: bornYearsAgo(8), sessionIds: ['journey-wednesday-full'] }],
    }),
  });
  expect(taken.status).toBe(201);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function fillDate(page: Page, prefix: string, iso: string) {
  const [y, m, d] = iso.split('-');
  await page.fill(`#${prefix}-day`, String(Number(d)));
  await page.fill(`#${prefix}-month`, String(Number(m)));
  await page.fill(`#${prefix}-year`, y!);
}

const continueButton = (page: Page, text = 'Continue') => page.getByRole('button', { name: text, exact: true }).click();

async function addChild(page: Page, first: string, age: number, sessions: string[], shot: string, jsOff: boolean) {
  await page.fill('#firstName', first);
  await page.fill('#lastName', 'Okafor');
  await fillDate(page, 'dateOfBirth', bornYearsAgo(age));
  await page.fill('#dietaryNeeds', first === 'Ada' ? 'No nuts' : '');
  await continueButton(page);
  await expect.poll(() => page.title()).toContain(`Choose sessions for ${first}`);
  await audit(page, `${shot}-sessions`, jsOff);
  for (const s of sessions) await page.getByLabel(`${s} club`).check();
  await continueButton(page, 'Save and continue');
}

for (const jsOff of [false, true]) {
  const mode = jsOff ? 'nojs' : 'js';
  describe(`booking two children ${jsOff ? 'with JavaScript off' : 'with JavaScript'}`, () => {
    it('goes from the start page to the confirmation, the email, the manage page and a cancellation', async () => {
      const context = await phone(browser, !jsOff);
      const page = await context.newPage();
      const email = `okafor.${mode}@example.org`;

      await page.goto(`${stack.url}/`);
      await audit(page, `01-start-${mode}`, jsOff);
      await page.getByRole('button', { name: 'Start now' }).click();

      await audit(page, `02-programmes-${mode}`, jsOff);
      await page.getByLabel(trip.name).check();
      await continueButton(page);

      await audit(page, `03-eligibility-${mode}`, jsOff);
      await page.getByLabel('I have a code').check();
      await continueButton(page);
      await audit(page, `04-code-${mode}`, jsOff);
      await page.fill('#code', trip.codes[jsOff ? 1 : 0]!.toLowerCase());
      await continueButton(page);

      await audit(page, `05-your-details-${mode}`, jsOff);
      await page.fill('#firstName', 'Grace');
      await page.fill('#lastName', 'Okafor');
      await page.fill('#email', email);
      await page.fill('#postcode', 'le19 4ad');
      await continueButton(page);

      await audit(page, `06-child-${mode}`, jsOff);
      await addChild(page, 'Ada', 9, ['monday-sports', 'tuesday-arts'], `07-child-1-${mode}`, jsOff);
      await audit(page, `08-children-${mode}`, jsOff);
      await page.getByRole('button', { name: 'Add another child' }).click();
      await addChild(page, 'Ben', 7, ['monday-sports', 'wednesday-full'], `09-child-2-${mode}`, jsOff);
      await continueButton(page);

      await expect.poll(() => page.title()).toContain('Check your answers');
      await audit(page, `10-check-answers-${mode}`, jsOff);
      await page.getByLabel(/I agree/).check();
      await page.getByRole('button', { name: 'Book places' }).click();

      await expect.poll(() => page.title()).toContain('What we have booked');
      await audit(page, `11-confirmation-${mode}`, jsOff);
      const panel = await page.locator('.govuk-panel').innerText();
      const reference = /HAF-[A-Z0-9]+/.exec(panel)?.[0];
      expect(reference).toBeDefined();
      const text = await page.locator('main').innerText();
      expect(text).toContain('Ada');
      expect(text).toContain('Ben');
      expect((text.match(/Booked/g) ?? []).length).toBe(3);
      // Ben's Wednesday was full: he is on its waiting list, and the page says where.
      expect(text).toMatch(/Waiting list \(number [12]\)/);

      // The email: its link opens the site's manage page, which asks for the code the email gives.
      const [mail] = await emailsTo(stack, email);
      expect(mail?.subject).toBeDefined();
      const link = new RegExp(`${stack.url}/applications/${reference}`).exec(mail!.body.text ?? '')?.[0];
      expect(link).toBeDefined();
      const manageCode = /manage code:\s*\n*\s*([A-Za-z0-9_-]{16,})/.exec(mail!.body.text ?? '')?.[1];
      expect(manageCode).toBeDefined();

      const later = await phone(browser, !jsOff);
      const manage = await later.newPage();
      await manage.goto(link!);
      await audit(manage, `12-manage-code-${mode}`, jsOff);
      await manage.fill('#manageCode', manageCode!);
      await continueButton(manage);
      await expect.poll(() => manage.title()).toContain('Your bookings');
      await audit(manage, `13-manage-${mode}`, jsOff);
      await manage.getByRole('link', { name: /Cancel Ada's place at tuesday-arts club/ }).click();
      await audit(manage, `14-cancel-${mode}`, jsOff);
      await manage.getByRole('button', { name: 'Cancel this place' }).click();
      await expect.poll(() => manage.locator('.govuk-notification-banner').innerText()).toContain('The place is cancelled');
      await audit(manage, `15-cancelled-${mode}`, jsOff);
      expect(await manage.locator('main').innerText()).toContain('Cancelled');
      await later.close();
      await context.close();
    });
  });
}
