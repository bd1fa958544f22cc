import type { Actions } from '../../shared/http/api-handler.ts';
import { signedInReferrer, type Principal } from '../../shared/http/auth.ts';
import { forbidden } from '../../shared/http/problem.ts';
import type { referrerRoutes } from '../../shared/http/routes/referrer.ts';
import type { AfReferralInput } from '../../shared/schemes/active-families/input.ts';
import { afSignUp } from '../../shared/schemes/active-families/sign-up.ts';
import type { SchemeDeps } from '../../shared/schemes/scheme.ts';
import type { YcReferralInput } from '../../shared/schemes/youth-card/input.ts';
import { ycSignUp } from '../../shared/schemes/youth-card/sign-up.ts';
import { referrerReferrals } from '../../shared/services/referrals.ts';

/** The signed-in referrer, from the token the gateway verified: their subject keys their own list. */
const referrerOf = (principal: Principal) => {
  const referrer = signedInReferrer(principal);
  if (!referrer) throw forbidden('This route is for partner staff signed in.');
  return referrer;
};

export const referrerActions = (deps: SchemeDeps): Actions<typeof referrerRoutes> => ({
  createReferral: async ({ principal, body, headers, client }) => {
    const ctx = { requestKey: headers['idempotency-key'], client, referrer: referrerOf(principal) };
    // The edge parsed the body by its `scheme` (the union of the schemes that take referrals).
    const created = body.scheme === 'ACTIVE_FAMILIES'
      ? await afSignUp.apply(deps, body as AfReferralInput, ctx) : await ycSignUp.apply(deps, body as YcReferralInput, ctx);
    return { status: 201, body: created, headers: { location: `/v1/applications/${created.reference}` } };
  },

  listReferrals: async ({ principal, query }) => ({ status: 200, body: await referrerReferrals(deps, referrerOf(principal).subject, query) }),
});
