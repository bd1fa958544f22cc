import { existsSync, mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { day, instant } from '../support/clock.ts';

// The booking site in a real browser (Debian's Chromium, driven by playwright-core) against the whole local
// stack: every page is checked with axe against WCAG 2.2 AA and photographed at a phone's width.

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  throw new Error(`Browser tests need Chromium at ${chromiumPath}: apt-get install -y chromium fonts-liberation (.ci/run does this), or set CHROMIUM_PATH.`);
}

export const screenshots = '.local/screenshots';
mkdirSync(screenshots, { recursive: true });

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath });

/** A phone: 375 px wide, as most parents book. */
export const phone = (browser: Browser, javaScriptEnabled = true): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, javaScriptEnabled });

const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Axe on the page as it is, and a screenshot. Axe needs JavaScript: with it off, the page's HTML is opened
 * again in a JavaScript context with the page's own scripts taken out, so the no-JS page is what is audited.
 */
export async function audit(page: Page, name: string, jsOff = false): Promise<void> {
  await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
  let target = page;
  if (jsOff) {
    const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
    const context = await page.context().browser()!.newContext({ viewport: { width: 375, height: 812 } });
    target = await context.newPage();
    await target.route('**/*', (route) => (route.request().isNavigationRequest() ? route.fulfill({ body: html, contentType: 'text/html' }) : route.continue()));
    await target.goto(page.url());
  }
  const results = await new AxeBuilder({ page: target }).withTags(tags).analyze();
  if (target !== page) await target.context().close();
  expect(results.violations.map((v) => `${name}: ${v.id} (${v.nodes.length}) ${v.help}`)).toEqual([]);
}

/** A holiday of the test's own, open now, with sessions two weeks out: ids prefixed by `run`. */
export async function holiday(stack: LocalStack, run: string, sessions: { suffix: string; days: number; capacity: number; district: string; start?: string }[]) {
  const admin = await stack.mintToken('admin');
  const call = async (method: string, path: string, body: unknown) => {
    const r = await fetch(`${stack.url}${path}`, { method, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const programmeId = `${run}-holiday`;
  await call('PUT', `/v1/admin/programmes/${programmeId}`, {
    scheme: 'HAF', name: `Holiday ${run}`, startDate: day(14), endDate: day(24), bookingOpensAt: instant(-1), bookingClosesAt: instant(12), maxDaysPerChild: 4,
  });
  await call('PUT', `/v1/admin/providers/${run}-clubs`, { name: `${run} Clubs CIC`, contactEmail: 'clubs@example.org', districts: ['Blaby', 'Melton'] });
  for (const s of sessions) {
    await call('PUT', `/v1/admin/sessions/${run}-${s.suffix}`, {
      programmeId, providerId: `${run}-clubs`, title: `${s.suffix} club`, date: day(s.days), startTime: s.start ?? '10:00', endTime: '15:00',
      venue: { name: 'Village Hall', postcode: 'LE19 4AD', district: s.district }, ageMin: 5, ageMax: 16, capacity: s.capacity, mealProvided: true, sendSupport: false,
    });
  }
  const made = await call('POST', '/v1/admin/eligibility-codes', { programmeId, generate: { count: 10, outcome: 'eligible', prefix: 'TEST' } }) as { codes: { code: string }[] };
  return { programmeId, name: `Holiday ${run}`, codes: made.codes.map((c) => c.code) };
}

/** The emails sent to an address, newest last, from the local SES's store. */
export async function emailsTo(stack: LocalStack, address: string) {
  await stack.drainStream(30_000);
  const { emails } = await (await fetch(`${stack.sesUrl}/store`)).json() as { emails: { subject: string; destination: { to: string[] }; body: { text?: string; html?: string } }[] };
  return emails.filter((e) => e.destination.to.includes(address));
}
