import type { Actions, Reply } from '../../shared/http/api-handler.ts';
import { newEligibilityCode } from '../../shared/domain/eligibility.ts';
import { describeProgramme } from '../../shared/domain/programmes.ts';
import type { Saved } from '../../shared/store/catalogue.ts';
import { offerFreedPlacesNow } from '../../shared/services/waitlist.ts';
import type { Deps } from '../../shared/wiring.ts';

/** A create-or-update answers 201 the first time and 200 after. */
const saved = <T>({ value, created }: Saved<T>): Reply => ({ status: created ? 201 : 200, body: value });

export const adminActions = ({ catalogue, bookings, now }: Deps): Actions<'admin-api'> => ({
  putProgramme: async ({ params, body }) => {
    const at = now();
    const result = await catalogue.putProgramme(params.programmeId, body, at.toISOString());
    return saved({ ...result, value: describeProgramme(result.value, at) });
  },

  putProvider: async ({ params, body }) => saved(await catalogue.putProvider(params.providerId, body, now().toISOString())),

  putAgreement: async ({ params, body }) =>
    saved(await catalogue.putAgreement(params.programmeId, params.providerId, body, now().toISOString())),

  putSession: async ({ params, body }) => {
    const at = now().toISOString();
    const result = await catalogue.putSession(params.sessionId, body, at);
    // More places (or a larger discretionary share) go to the waitlist first, in arrival order.
    if (!result.created) await offerFreedPlacesNow({ catalogue, bookings }, params.sessionId, at);
    return saved(result);
  },

  listChildMatches: async ({ params }) => ({ status: 200, body: { items: await bookings.childMatches(params.programmeId) } }),

  loadEligibilityCodes: async ({ body }) => {
    const made = 'generate' in body
      ? Array.from({ length: body.generate.count }, () => ({ code: newEligibilityCode(body.generate.prefix), outcome: body.generate.outcome }))
      : undefined;
    const result = await catalogue.loadEligibilityCodes({ programmeId: body.programmeId, codes: made ?? ('codes' in body ? body.codes : []) }, now().toISOString());
    return { status: 200, body: { programmeId: body.programmeId, ...result, ...(made ? { codes: made } : {}) } };
  },
});
