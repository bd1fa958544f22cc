import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { config } from '../config.ts';
import { council } from '../council/profile.ts';

export interface OutgoingEmail { to: string; subject: string; text: string; html: string }

/** Anything that can send one email; the notifier gets one of these, tests their own. */
export interface MailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface SesSenderOptions {
  from?: string;
  /** aws-ses-v2-local's URL; absent in AWS. */
  endpoint?: string;
  region?: string;
  /** SDK attempts per email (default 3); the stream retries the record as well. */
  maxAttempts?: number;
}

/** SES v2 SendEmail with simple content: SES builds the MIME message, text and HTML together. */
export function sesSender(opts: SesSenderOptions = {}): MailSender {
  const c = config();
  const endpoint = opts.endpoint ?? c.SES_ENDPOINT;
  // The council's name on every email, as parents know it: "Leicestershire Holiday Clubs <holiday-clubs@…>".
  const from = opts.from ?? `"${council().mail.senderName.replace(/["\\]/g, '')}" <${c.MAIL_FROM}>`;
  const client = new SESv2Client({
    region: opts.region ?? c.AWS_REGION,
    maxAttempts: opts.maxAttempts ?? 3,
    // The local SES wants some credentials to see a signature; it checks none.
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
  return {
    async send({ to, subject, text, html }) {
      const out = await client.send(new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: utf8(subject), Body: { Text: utf8(text), Html: utf8(html) } } },
      }));
      // Accepted is what matters: throwing here would retry the record and send the email twice.
      return { messageId: out.MessageId ?? 'unknown' };
    },
  };
}
