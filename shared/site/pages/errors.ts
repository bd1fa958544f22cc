import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import { config } from '../../config.ts';
import { council } from '../../council/profile.ts';
import type { HttpProblem } from '../../http/problem.ts';
import { inlineScriptHash } from '../generated/assets.js';
import { render } from '../render.ts';

// Every page's security headers, and the pages that say what went wrong and what to do next.

/**
 * Scripts and styles only from the site itself (and the one inline line GOV.UK's template has, by its hash),
 * forms only to the site, no framing. Pages carry personal data: never cached, no referrer sent on.
 */
export function pageSecurityHeaders(): Record<string, string> {
  const https = config().SITE_URL.startsWith('https:');
  return {
    'content-security-policy': [
      "default-src 'self'", `script-src 'self' ${inlineScriptHash}`, "style-src 'self'", "img-src 'self'", "font-src 'self'",
      "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'cache-control': 'no-store',
    ...(https ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

interface ErrorContent { title: string; paragraphs: string[]; startAgain?: boolean }

function contentFor(p: HttpProblem): ErrorContent {
  const contact = `If you need help, contact ${council().mail.teamName} on ${council().contact.phone}.`;
  if (p.title === 'Session ended') {
    return { title: 'Your answers were deleted', paragraphs: ['We delete your answers if you do not use the service for 2 hours, to keep them safe.', 'You will need to start again.'], startAgain: true };
  }
  switch (p.status) {
    case 403: return { title: 'Sorry, we could not send that form', paragraphs: ['Forms only work from the pages of this service.', 'Go back to the page, then try again.'], startAgain: true };
    case 404: return { title: 'Page not found', paragraphs: ['If you typed the web address, check it is correct.', 'If you pasted the web address, check you copied the whole address.', contact] };
    case 413: case 415: return { title: 'Sorry, we could not read that form', paragraphs: ['Go back to the page and try again.'] };
    case 429: return { title: 'Please wait before trying again', paragraphs: [`You have tried too many times. Try again in ${p.headers['retry-after'] ?? 'a few'} seconds.`, contact] };
    case 503: return { title: 'Sorry, the service is busy', paragraphs: ['Lots of people are using the service right now. Your answers have been saved.', 'Wait a minute, then go back and try again.'] };
    default: return { title: 'Sorry, there is a problem with the service', paragraphs: ['Try again later. Your answers have been saved for 2 hours.', contact] };
  }
}

export function errorPage(p: HttpProblem): Result {
  // Statuses a page answers with: a 422 that reached here had no form to show it on, so it is a 400.
  const status = p.status === 422 ? 400 : p.status >= 500 && p.status !== 503 ? 500 : p.status;
  const content = contentFor({ ...p, status } as HttpProblem);
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8', ...pageSecurityHeaders(),
      ...(p.headers['retry-after'] ? { 'retry-after': p.headers['retry-after'] } : {}),
    },
    body: render('pages/error', content as unknown as Record<string, unknown>),
  };
}
