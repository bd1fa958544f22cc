// A message is written once as blocks and rendered twice, as plain text and as HTML, so the two
// never drift apart and every value reaches the HTML through one escaping function.

export type Inline = string | { strong: string } | { code: string } | { link: string; text?: string };
export type Block =
  | { heading: string }
  | { para: Inline | Inline[] }
  | { list: (Inline | Inline[])[] }
  /** A QR code (its modules, from shared/mail/qr.ts; HTML only, as a table of cells: no image to block); `label` says what it is, in both. */
  | { qr: { modules: boolean[][]; label: string } };

/** Pixels a module (one square of the code) takes on screen: 29 modules (21 and the quiet zone) make 145 px. */
const modulePx = 5;

/** A QR code's modules as an HTML table, each module a cell of its own size and colour. */
export function moduleTable(modules: boolean[][]): string {
  const rows = modules.map((row) => `<tr>${row.map((dark) => (dark
    ? `<td width=${modulePx} height=${modulePx} bgcolor=#0b0c0c></td>`
    : `<td width=${modulePx} height=${modulePx}></td>`)).join('')}</tr>`);
  return `<table role="img" cellpadding=0 cellspacing=0 border=0 bgcolor=#ffffff style="border-collapse:collapse;table-layout:fixed;margin:0 0 10px">${rows.join('')}</table>`;
}

const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-12-22` → `Tuesday 22 December 2026`: the date is already London's, so no time zone is involved. */
export function longDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${days[weekday]} ${d} ${months[m - 1]} ${y}`;
}

/** `09:30` → `9:30am`, `13:00` → `1pm`, `12:00` → `midday`, as GOV.UK writes times. */
export function clockTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  if (m === 0 && h === 12) return 'midday';
  if (m === 0 && h === 0) return 'midnight';
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}

export const timeRange = (start: string, end: string) => `${clockTime(start)} to ${clockTime(end)}`;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const inlines = (x: Inline | Inline[]) => (Array.isArray(x) ? x : [x]);

function inlineText(x: Inline): string {
  if (typeof x === 'string') return x;
  if ('strong' in x) return x.strong;
  if ('code' in x) return x.code;
  return x.text ? `${x.text}: ${x.link}` : x.link;
}

function inlineHtml(x: Inline): string {
  if (typeof x === 'string') return escapeHtml(x);
  if ('strong' in x) return `<strong>${escapeHtml(x.strong)}</strong>`;
  if ('code' in x) return `<code style="font-family:monospace;font-size:16px;background:#f3f2f1;padding:2px 4px;word-break:break-all">${escapeHtml(x.code)}</code>`;
  return `<a href="${escapeHtml(x.link)}" style="color:#1d70b8">${escapeHtml(x.text ?? x.link)}</a>`;
}

export function toText(blocks: Block[]): string {
  const out = blocks.map((b) => {
    if ('heading' in b) return b.heading;
    if ('para' in b) return inlines(b.para).map(inlineText).join('');
    if ('qr' in b) return b.qr.label;
    return b.list.map((item) => `- ${inlines(item).map(inlineText).join('')}`).join('\n');
  });
  return `${out.join('\n\n')}\n`;
}

/** A plain single-column page: large readable text on a phone, no images, no tracking. */
export function toHtml(title: string, blocks: Block[]): string {
  const body = blocks.map((b) => {
    if ('heading' in b) return `<h2 style="font-size:24px;margin:30px 0 15px">${escapeHtml(b.heading)}</h2>`;
    if ('para' in b) return `<p style="margin:0 0 20px">${inlines(b.para).map(inlineHtml).join('')}</p>`;
    if ('qr' in b) return `<div style="margin:0 0 20px" aria-label="${escapeHtml(b.qr.label)}">${moduleTable(b.qr.modules)}<p style="margin:0;font-size:16px">${escapeHtml(b.qr.label)}</p></div>`;
    return `<ul style="margin:0 0 20px;padding-left:20px">${b.list.map((item) => `<li style="margin-bottom:5px">${inlines(item).map(inlineHtml).join('')}</li>`).join('')}</ul>`;
  });
  return '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    + '<meta name="viewport" content="width=device-width, initial-scale=1">'
    + `<title>${escapeHtml(title)}</title></head>`
    + '<body style="margin:0;padding:16px;font-family:Arial,sans-serif;font-size:19px;line-height:1.4;color:#0b0c0c">'
    + `<div style="max-width:580px">${body.join('')}</div></body></html>`;
}
