import { posix } from 'node:path';
import nunjucks from 'nunjucks/browser/nunjucks-slim.js';
import { council } from '../council/profile.ts';
import { templates } from './generated/templates.js';
import { assetUrls } from './assets.ts';

// Pages from the precompiled views (scripts/build-site.ts), with Nunjucks' runtime only: no template file
// is read and nothing is compiled while a function runs.

let env: nunjucks.Environment | undefined;

function environment(): nunjucks.Environment {
  if (env) return env;
  const loader = new nunjucks.PrecompiledLoader(templates as never);
  // GOV.UK Frontend's macros import `../../macros/…`: resolve against the importing template's own name,
  // as the build named them, not against the working directory.
  (loader as unknown as { resolve: (from: string, to: string) => string }).resolve = (from, to) => posix.join(posix.dirname(from), to);
  env = new nunjucks.Environment(loader, { autoescape: true });
  // Nunjucks' own `trim` is a slow regular expression on long macro output (~12 ms a date input).
  const { SafeString } = nunjucks.runtime;
  env.addFilter('trim', (s: unknown) => (s instanceof SafeString ? new SafeString(String(s).trim()) : String(s ?? '').trim()));
  return env;
}

/** What every page's layout reads: the council and the assets' addresses. */
function siteGlobals() {
  const c = council();
  return {
    site: {
      councilName: c.name, serviceName: c.site.serviceName, colour: c.site.colour, councilUrl: c.contact.web,
      contact: c.contact, footerLinks: c.site.footerLinks, teamName: c.mail.teamName,
    },
    assets: assetUrls(),
  };
}

export function render(view: string, model: Record<string, unknown>): string {
  return environment().render(`site/${view}.njk`, { ...siteGlobals(), ...model });
}
