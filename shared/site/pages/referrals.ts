import { DomainError } from '../../domain/errors.ts';
import type { PageRequest, PageResult } from '../../http/page-handler.ts';
import { schemeOfReference } from '../../schemes/registry.ts';
import { confirmReferral } from '../../services/applications.ts';
import { field } from '../forms.ts';
import type { SiteDeps } from './journey.ts';

// The page a referrer's emailed link opens (API.md: "a GET never confirms", since mail scanners follow links):
// a button that posts the link's reference and secret, then what happened to the referral. The page shows
// nothing about the family or young person: whoever holds the link learns only that a referral waits.

interface Confirmed { status: string; waitlistPosition?: number; card?: { number: string; validUntil: string } }

/** The scheme's name, for a referral's reference only (a holiday booking has no referrer). */
const schemeName = (reference: string) => {
  const scheme = schemeOfReference(reference);
  return scheme?.placement ? scheme.description.name : undefined;
};

/** What the referrer is told happened, in the scheme's words. */
function outcome(reference: string, c: Confirmed): string {
  const waiting = c.waitlistPosition ? ` They are number ${c.waitlistPosition} on the waiting list.` : '';
  switch (c.status) {
    case 'accepted': return 'The family has a place with a provider, who will contact them to plan their activities. We have emailed you and the family.';
    case 'issued': return `A Youth Card is issued${c.card ? `, valid until ${c.card.validUntil}` : ''}. We have emailed you the details.`;
    case 'waitlisted': return `There is no place free in their area yet, so they are waiting and will be placed as soon as one is.${waiting} We will email you when that happens.`;
    default: return `Referral ${reference} is confirmed. We will email you when it is placed.`;
  }
}

const badLink = (status: number): PageResult => ({ view: 'pages/referral-link', status, model: { title: 'This link does not work' } });

export const referralPages = (deps: SiteDeps) => ({
  referralConfirmPage: async (req: PageRequest): Promise<PageResult> => {
    const { reference, token } = req.query as { reference?: string; token?: string };
    const scheme = reference && schemeName(reference);
    if (!reference || !token || !scheme) return badLink(404);
    return { view: 'pages/referral-confirm', model: { title: 'Confirm your referral', reference, token, scheme } };
  },

  confirmReferralPage: async (req: PageRequest): Promise<PageResult> => {
    const reference = field(req.form, 'reference') ?? '';
    const token = field(req.form, 'token') ?? '';
    if (!schemeName(reference)) return badLink(404);
    try {
      const confirmed = (await confirmReferral(deps, reference, token)) as Confirmed;
      req.session.flash = outcome(reference, confirmed);
      return { redirect: `/referrals/confirmed?reference=${encodeURIComponent(reference)}` };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.kind === 'notFound') return badLink(404);
      if (error.kind === 'conflict') {
        return { view: 'pages/referral-link', status: 409, model: { title: 'This link has expired', detail: error.message } };
      }
      throw error;
    }
  },

  referralConfirmedPage: async (req: PageRequest): Promise<PageResult> => {
    const { reference } = req.query as { reference?: string };
    const scheme = reference && schemeName(reference);
    if (!reference || !scheme) return badLink(404);
    return { view: 'pages/referral-confirmed', model: { title: 'Referral confirmed', reference, scheme } };
  },
});
