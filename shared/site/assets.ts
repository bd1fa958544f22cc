import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { council } from '../council/profile.ts';
import { assets } from './generated/assets.js';

export interface Asset { path: string; type: string; body: string }

/** The built files: beside this module in the source, beside the bundle's index.mjs in a Lambda (infra copies them). */
const staticDir = new URL('./generated/static/', import.meta.url);
const readStatic = (a: { path: string; file: string; type: string }): Asset => ({ path: a.path, type: a.type, body: readFileSync(new URL(a.file, staticDir), 'utf8') });

// What the site serves besides pages: the stylesheet and scripts built from GOV.UK Frontend, and two small
// files made from the council profile (its colour, its favicon). Every address carries a hash of the
// content, so each can be cached for a year and a new deployment is picked up at once.

const hashed = (name: string, ext: string, type: string, body: string): Asset =>
  ({ path: `/assets/${name}-${createHash('sha256').update(body).digest('hex').slice(0, 10)}.${ext}`, type, body });

let table: Map<string, Asset> | undefined;
let urls: { css: string; councilCss: string; govukJs: string; initJs: string; favicon: string } | undefined;

function build() {
  const { colour } = council().site;
  // The council's colour where GOV.UK Frontend reads its brand colour, and on the header's band.
  const councilCss = hashed('council', 'css', 'text/css; charset=utf-8',
    `:root{--govuk-brand-colour:${colour}}.govuk-generic-header{background-color:${colour}}.govuk-service-navigation{border-bottom-color:${colour}}`);
  const favicon = hashed('favicon', 'svg', 'image/svg+xml',
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="${colour}"/></svg>`);
  table = new Map([councilCss, favicon].map((a) => [a.path, a]));
  for (const a of [assets.css, assets.govukJs, assets.initJs]) table.set(a.path, { path: a.path, type: a.type, body: '' });
  urls = { css: assets.css.path, councilCss: councilCss.path, govukJs: assets.govukJs.path, initJs: assets.initJs.path, favicon: favicon.path };
}

export function assetUrls() {
  if (!urls) build();
  return urls!;
}

/** The asset at this path (`/assets/…`), if there is one; a built file is read the first time it is asked for. */
export function asset(path: string): Asset | undefined {
  if (!table) build();
  const found = table!.get(path);
  if (found && !found.body) {
    const built = Object.values(assets).find((a) => a.path === path)!;
    found.body = readStatic(built).body;
  }
  return found;
}
