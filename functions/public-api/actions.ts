import type { Actions } from '../../shared/http/api-handler.ts';
import { signedInReferrer } from '../../shared/http/auth.ts';
import type { publicRoutes } from '../../shared/http/routes/public.ts';
import { cancelBooking, confirmReferral, createApplication, viewApplication } from '../../shared/services/applications.ts';
import { listProgrammes, listSchemes, listSessions } from '../../shared/services/catalogue.ts';
import type { SchemeDeps } from '../../shared/schemes/scheme.ts';

/** What the public API uses: every scheme's sign-up ports (the catalogue and eligibility codes and checks among them). */
export const publicActions = (deps: SchemeDeps): Actions<typeof publicRoutes> => ({
  listSchemes: async () => ({ status: 200, body: { items: listSchemes() } }),

  listProgrammes: async ({ query }) => ({ status: 200, body: { items: await listProgrammes(deps, query.scheme) } }),

  listSessions: async ({ query }) => ({ status: 200, body: await listSessions(deps, query) }),

  // A referrer's token (checked by the edge, as this route takes one optionally) skips the emailed confirmation (API.md).
  createApplication: async ({ body, headers, client, principal }) => {
    const referrer = signedInReferrer(principal);
    const created = await createApplication(deps, body, { requestKey: headers['idempotency-key'], client, ...(referrer ? { referrer } : {}) });
    return { status: 201, body: created, headers: { location: `/v1/applications/${created.reference}` } };
  },

  getApplication: async ({ params, headers }) =>
    ({ status: 200, body: await viewApplication(deps, params.reference, headers['x-manage-token']) }),

  cancelBooking: async ({ params, headers }) =>
    ({ status: 200, body: await cancelBooking(deps, params.bookingId, headers['x-manage-token']) }),

  confirmReferral: async ({ params, headers }) =>
    ({ status: 200, body: await confirmReferral(deps, params.reference, headers['x-referrer-token']) }),

});
