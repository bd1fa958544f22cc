import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { bornYearsAgo } from '../support/clock.ts';
import { audit, emailsTo, holiday, launch, phone } from './site.ts';

// Every form's error state (the GOV.UK error summary, linking to each bad field, with the API's own
// messages), the answers DfE can give, and the guards: a form posted from another site, or without this
// session's token, does nothing; a booking sent again, or twice at once, books once.

let stack: LocalStack;
let browser: Browser;
let trip: Awaited<ReturnType<typeof holiday>>;

beforeAll(async () => {
  const { startLocalStack } = await import('../../infra/local/stack.ts');
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sesPort: 0, seed: false, quiet: true });
  trip = await holiday(stack, 'forms', [
    { suffix: 'morning', days: 14, capacity: 10, district: 'Blaby' },
    { suffix: 'afternoon', days: 14, capacity: 10, district: 'Blaby', start: '11:00' },
    { suffix: 'friday', days: 17, capacity: 10, district: 'Melton' },
  ]);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const press = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();

/** The error summary's messages; each must link to a field on the page. */
async function errorSummary(page: Page): Promise<string[]> {
  const links = page.locator('.govuk-error-summary a');
  const out: string[] = [];
  for (let i = 0; i < (await links.count()); i++) {
    const href = (await links.nth(i).getAttribute('href'))!;
    expect([href, await page.locator(href).count()]).toEqual([href, 1]);
    out.push(await links.nth(i).innerText());
  }
  return out;
}

async function fillDate(page: Page, prefix: string, d: string, m: string, y: string) {
  await page.fill(`#${prefix}-day`, d);
  await page.fill(`#${prefix}-month`, m);
  await page.fill(`#${prefix}-year`, y);
}

/** A parent who has chosen the holiday and shown eligibility with a code, on the details page. */
async function parentWithCode(context: BrowserContext, code: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${stack.url}/programmes`);
  await page.getByLabel(trip.name).check();
  await press(page, 'Continue');
  await page.getByLabel('I have a code').check();
  await press(page, 'Continue');
  await page.fill('#code', code);
  await press(page, 'Continue');
  await expect.poll(() => page.title()).toContain('Your details');
  return page;
}

async function details(page: Page, email: string) {
  await page.fill('#firstName', 'Sam');
  await page.fill('#lastName', 'Patel');
  await page.fill('#email', email);
  await page.fill('#postcode', 'LE3 8AA');
  await press(page, 'Continue');
}

describe('forms with mistakes', () => {
  it('say what is wrong on every step, link each problem to its field, and keep what was typed', async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    await page.goto(`${stack.url}/programmes`);
    await press(page, 'Continue');
    expect(await errorSummary(page)).toEqual(['Select the holiday you want to book']);
    await audit(page, 'error-programmes');
    await page.getByLabel(trip.name).check();
    await press(page, 'Continue');

    await press(page, 'Continue');
    expect(await errorSummary(page)).toEqual(['Select how you will show you can get free school meals']);
    await audit(page, 'error-eligibility');
    await page.getByLabel('I have a code').check();
    await press(page, 'Continue');

    await page.fill('#code', 'no!');
    await press(page, 'Continue');
    expect(await errorSummary(page)).toEqual(['Code must be 4–32 letters, digits or hyphens']);
    expect(await page.inputValue('#code')).toBe('no!');
    await page.fill('#code', 'NOT-A-REAL-CODE');
    await press(page, 'Continue');
    expect(await errorSummary(page)).toEqual(['Code is not a code we issued; check it with your school']);
    await audit(page, 'error-code');
    await page.fill('#code', trip.codes[0]!);
    await press(page, 'Continue');

    await page.fill('#firstName', 'Sam2');
    await page.fill('#email', 'sam.example.org');
    await page.fill('#postcode', 'nowhere');
    await press(page, 'Continue');
    expect(await errorSummary(page)).toEqual([
      'First name may only contain letters, spaces, apostrophes, hyphens and full stops', 'Last name is required',
      'Email address must be an email address', 'Postcode must be a UK postcode',
    ]);
    expect(await page.inputValue('#email')).toBe('sam.example.org');
    await audit(page, 'error-your-details');
    await details(page, 'sam.mistakes@example.org');

    await fillDate(page, 'dateOfBirth', '31', '2', '2017');
    await press(page, 'Continue');
    expect(await errorSummary(page)).toEqual(['First name is required', 'Last name is required', 'Date of birth must be a real calendar date']);
    await audit(page, 'error-child');
    await page.fill('#firstName', 'Ravi');
    await page.fill('#lastName', 'Patel');
    const [y, m, d] = bornYearsAgo(8).split('-');
    await fillDate(page, 'dateOfBirth', d!, m!, y!);
    await press(page, 'Continue');

    await press(page, 'Save and continue');
    expect(await errorSummary(page)).toEqual(['Choose at least one session for Ravi']);
    await page.getByLabel('morning club').check();
    await page.getByLabel('afternoon club').check();
    await press(page, 'Save and continue');
    expect((await errorSummary(page))[0]).toMatch(/^Choose only one session on \w+ \d+ \w+ \d{4}: Ravi can go to one club a day$/);
    await audit(page, 'error-sessions');
    await page.getByLabel('afternoon club').uncheck();
    await page.getByLabel('friday club').check();
    await press(page, 'Save and continue');
    await press(page, 'Continue');

    await press(page, 'Book places');
    expect(await errorSummary(page)).toEqual(['Confirm that you agree to us using this information to book the places']);
    await audit(page, 'error-check-answers');

    await page.goto(`${stack.url}/applications/HAF-AAAAAAAA`);
    await page.fill('#manageCode', 'not-the-right-code-at-all');
    await press(page, 'Continue');
    expect(await errorSummary(page)).toEqual(['The manage code does not match this booking reference. Check your confirmation email']);
    await audit(page, 'error-manage-code');
    await context.close();
  });

  it('explain each answer a DfE check can give, and what to do next', async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    await page.goto(`${stack.url}/programmes`);
    await page.getByLabel(trip.name).check();
    await press(page, 'Continue');
    await page.getByLabel('Check using my details').check();
    await press(page, 'Continue');
    await press(page, 'Check');
    expect(await errorSummary(page)).toEqual(['Last name is required', 'Date of birth is required', 'National Insurance number is required']);
    await audit(page, 'error-details-check');

    for (const [lastName, title, shot] of [['Jones', 'Your child cannot get a free place', 'dfe-not-eligible'], ['Unknown', 'We could not find your details', 'dfe-not-found'], ['Slow', 'We are still checking', 'dfe-pending']] as const) {
      await page.goto(`${stack.url}/eligibility/details`);
      await page.fill('#lastName', lastName);
      await fillDate(page, 'dateOfBirth', '3', '2', '1990');
      await page.fill('#nationalInsuranceNumber', 'ab 12 34 56 c');
      await press(page, 'Check');
      await expect.poll(() => page.title()).toContain(title);
      await audit(page, shot);
    }
    await context.close();
  });
});

describe('codes that cannot be used', () => {
  it('say so at once: a code for another holiday, and one another family (another email address) booked with', async () => {
    const other = await holiday(stack, 'other', []);
    const context = await phone(browser);
    const page = await context.newPage();
    await page.goto(`${stack.url}/programmes`);
    await page.getByLabel(trip.name).check();
    await press(page, 'Continue');
    await page.getByLabel('I have a code').check();
    await press(page, 'Continue');
    await page.fill('#code', other.codes[0]!);
    await press(page, 'Continue');
    expect(await errorSummary(page)).toEqual([`This code is for a different holiday, not ${trip.name}. Check you chose the right holiday, or ask your child's school for the code for this one`]);
    await audit(page, 'error-code-other-holiday');

    // Another family books with code 5 first, from their own email address.
    const first = await fetch(`${stack.url}/v1/applications`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        scheme: 'HAF', programmeId: trip.programmeId, eligibility: { code: trip.codes[5] }, consent: { dataProcessing: true },
        parent: { firstName: 'Alex', lastName: 'Green', email: 'alex.green@example.org', postcode: 'LE3 8AA' },
        children: [{ firstName: 'Mo', lastName: 'Green', dateOfBirth: bornYearsAgo(9), sessionIds: ['forms-friday'] }],
      }),
    });
    expect(first.status).toBe(201);
    await page.fill('#code', trip.codes[5]!);
    await press(page, 'Continue');
    await details(page, 'someone.else@example.org');
    expect(await errorSummary(page)).toEqual(['Email address is not the one this code was first used with. Use the email address you booked with before, or contact us if the code is yours and you have not used it']);
    await audit(page, 'error-code-used-by-another-family');
    // The family that booked with it, from the address it booked with, goes on.
    await page.fill('#email', 'alex.green@example.org');
    await press(page, 'Continue');
    await expect.poll(() => page.title()).toContain('Your child');
    await context.close();
  });
});

describe('the guards on every form', () => {
  it('refuse a post from another site, or without this session’s token, and change nothing', async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    await page.goto(`${stack.url}/programmes`);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const post = (headers: Record<string, string>, form: Record<string, string>) =>
      page.request.post(`${stack.url}/programmes`, { headers, form, maxRedirects: 0 });
    const foreign = await post({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, { _csrf: csrf, programmeId: trip.programmeId });
    expect(foreign.status()).toBe(403);
    expect(await foreign.text()).toContain('Sorry, we could not send that form');
    expect((await post({ origin: stack.url }, { _csrf: 'forged', programmeId: trip.programmeId })).status()).toBe(403);
    expect((await post({ origin: stack.url }, { programmeId: trip.programmeId })).status()).toBe(403);
    // Nothing was chosen: the eligibility step still sends the parent back to choose a holiday.
    await page.goto(`${stack.url}/eligibility`);
    expect(page.url()).toBe(`${stack.url}/programmes`);
    // The page's own form, from the page, works.
    expect((await post({ origin: stack.url }, { _csrf: csrf, programmeId: trip.programmeId })).status()).toBe(303);
    await context.close();
  });

  it('book once when the booking is sent again, or twice at the same moment', async () => {
    const context = await phone(browser);
    const page = await parentWithCode(context, trip.codes[3]!);
    const email = 'sam.twice@example.org';
    await details(page, email);
    await page.fill('#firstName', 'Ravi');
    await page.fill('#lastName', 'Patel');
    const [y, m, d] = bornYearsAgo(8).split('-');
    await fillDate(page, 'dateOfBirth', d!, m!, y!);
    await press(page, 'Continue');
    await page.getByLabel('friday club').check();
    await press(page, 'Save and continue');
    await press(page, 'Continue');
    const csrf = await page.locator('form[action="/check-answers"] input[name=_csrf]').inputValue();
    const book = () => page.request.post(`${stack.url}/check-answers`, { headers: { origin: stack.url }, form: { _csrf: csrf, consent: 'yes' }, maxRedirects: 0 });
    // A double tap: two sends of the same form at once.
    const both = await Promise.all([book(), book()]);
    expect(both.map((r) => [r.status(), r.headers().location])).toEqual([[303, '/confirmation'], [303, '/confirmation']]);
    // And the browser sending it again later.
    expect((await book()).headers().location).toBe('/confirmation');
    await page.goto(`${stack.url}/confirmation`);
    const reference = /HAF-[A-Z0-9]+/.exec(await page.locator('.govuk-panel').innerText())?.[0];
    const mails = await emailsTo(stack, email);
    expect(mails.length).toBe(1);
    expect(mails[0]!.body.text).toContain(reference);
    await context.close();
  });
});
