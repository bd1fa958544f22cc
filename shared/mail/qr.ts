import encodeQR from 'qr';

// A QR code that shows in an email without images: a table of cells, dark or light, as email programs
// render tables even where they block images and scripts. A desk's scanner reads it off a phone's screen.

/** Pixels a module (one square of the code) takes on screen: 29 modules (21 and the quiet zone) make 145 px. */
const modulePx = 5;
/** The quiet zone around the code, in modules, as the QR standard asks. */
const quietZone = 4;

/** The code's modules, true for dark: medium error correction (15%), smallest version that fits. */
export const qrModules = (value: string): boolean[][] => encodeQR(value, 'raw', { ecc: 'medium', border: quietZone });

/** The code as an HTML table, each module a cell of its own size and colour. */
export function qrTable(value: string): string {
  const rows = qrModules(value).map((row) => `<tr>${row.map((dark) => (dark
    ? `<td width=${modulePx} height=${modulePx} bgcolor=#0b0c0c></td>`
    : `<td width=${modulePx} height=${modulePx}></td>`)).join('')}</tr>`);
  return `<table role="img" cellpadding=0 cellspacing=0 border=0 bgcolor=#ffffff style="border-collapse:collapse;table-layout:fixed;margin:0 0 10px">${rows.join('')}</table>`;
}
