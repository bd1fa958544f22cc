import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest, type HttpResponse } from '@smithy/core/protocols';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { config } from '../config.ts';
import { council } from '../council/profile.ts';
import { mailClient } from '../runtime.ts';

// SES v2 SendEmail, signed and sent with the SDK's own SigV4 signer, credential chain and HTTP handler
// (the DynamoDB client loads them anyway). The SES client package would add its 48 kB schema of every SES
// type to the notifier's cold start for this one call (decision 006).

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
  /** Attempts per email on throttling, a server fault or a timeout (default shared/runtime.ts); the stream retries the record as well. */
  maxAttempts?: number;
  /** The SES configuration set to send through (default SES_CONFIGURATION_SET; none locally). */
  configurationSet?: string;
}

/** What SES (or the way to it) answered instead of accepting the email; retryable ones the stream tries again. */
export class SesRefused extends Error {
  constructor(readonly code: string, readonly status: number, readonly $retryable: boolean) {
    // The name of the error only: SES messages can quote an email address.
    super(`SES refused the email (${status} ${code})`);
    this.name = code;
  }
}

/** SES v2 SendEmail with simple content: SES builds the MIME message, text and HTML together. */
export function sesSender(opts: SesSenderOptions = {}): MailSender {
  // Made for the first email, not as the notifier loads: most of its invocations send none (decision 006).
  let connection: ReturnType<typeof connect> | undefined;
  const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
  return {
    async send({ to, subject, text, html }) {
      connection ??= connect(opts);
      const { from, configurationSet, attempts, once } = connection;
      const body = JSON.stringify({
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        FromEmailAddress: from,
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: utf8(subject), Body: { Text: utf8(text), Html: utf8(html) } } },
      });
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(body);
        } catch (error) {
          if (!(error as SesRefused).$retryable || attempt >= attempts) throw error;
          await new Promise((r) => setTimeout(r, Math.random() * 100 * 2 ** attempt));
        }
      }
    },
  };
}

/** The endpoint, sender, signer and HTTP handler every email goes through. */
function connect(opts: SesSenderOptions) {
  const c = config();
  const region = opts.region ?? c.AWS_REGION;
  const endpoint = new URL(opts.endpoint ?? c.SES_ENDPOINT ?? `https://email.${region}.amazonaws.com`);
  // The council's name on every email, as parents know it: "Leicestershire Holiday Clubs <holiday-clubs@…>".
  const from = opts.from ?? `"${council().mail.senderName.replace(/["\\]/g, '')}" <${c.MAIL_FROM}>`;
  const attempts = opts.maxAttempts ?? mailClient.maxAttempts;
  const configurationSet = opts.configurationSet ?? c.SES_CONFIGURATION_SET;
  const signer = new SignatureV4({
    service: 'ses', region, sha256: Sha256,
    // The local SES wants some credentials to see a signature; it checks none.
    credentials: opts.endpoint ?? c.SES_ENDPOINT ? { accessKeyId: 'local', secretAccessKey: 'local' } : defaultProvider(),
  });
  // Without throwOnRequestTimeout the handler only warns, and a stalled SES would hold the notifier until its own timeout.
  const http = new NodeHttpHandler({
    connectionTimeout: mailClient.connectionTimeoutMs, requestTimeout: mailClient.requestTimeoutMs, throwOnRequestTimeout: true,
  });

  async function once(body: string): Promise<{ messageId: string }> {
    const request = new HttpRequest({
      protocol: endpoint.protocol, hostname: endpoint.hostname, port: endpoint.port ? Number(endpoint.port) : undefined,
      method: 'POST', path: '/v2/email/outbound-emails', body,
      headers: { host: endpoint.host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    });
    let response: HttpResponse;
    try {
      ({ response } = await http.handle((await signer.sign(request)) as HttpRequest));
    } catch (error) {
      const e = error as { code?: string; name?: string };
      throw new SesRefused(e?.code ?? e?.name ?? 'NetworkError', 0, true);
    }
    const text = Buffer.from(await streamCollector(response.body)).toString('utf8');
    if (response.statusCode >= 200 && response.statusCode < 300) {
      // Accepted is what matters: throwing here would retry the record and send the email twice.
      const id = (() => { try { return (JSON.parse(text) as { MessageId?: string }).MessageId; } catch { return undefined; } })();
      return { messageId: id ?? 'unknown' };
    }
    const code = String(response.headers['x-amzn-errortype'] ?? 'SesError').split(':')[0]!;
    throw new SesRefused(code, response.statusCode, response.statusCode === 429 || response.statusCode >= 500);
  }

  return { from, configurationSet, attempts, once };
}
