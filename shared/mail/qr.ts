import encodeQR from 'qr';

// A QR code that shows in an email without images: its modules, which shared/mail/format.ts draws as a table
// of cells, dark or light, as email programs render tables even where they block images and scripts. A desk's
// scanner reads it off a phone's screen.
// Loaded by an email that shows one (shared/schemes/youth-card/notices.ts): the encoder builds its tables as
// it loads (about 1.5 ms), which a notifier that sends no card need not pay.

/** The quiet zone around the code, in modules, as the QR standard asks. */
const quietZone = 4;

/** The code's modules, true for dark: medium error correction (15%), smallest version that fits. */
export const qrModules = (value: string): boolean[][] => encodeQR(value, 'raw', { ecc: 'medium', border: quietZone });
