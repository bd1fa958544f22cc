import type { Actions } from '../../shared/http/api-handler.ts';
import { openApiDocument } from '../../shared/http/openapi.ts';
import { dateInLondon } from '../../shared/domain/calendar.ts';
import { describeProgramme } from '../../shared/domain/programmes.ts';
import { schemes } from '../../shared/domain/schemes.ts';
import { checkEligibility, refreshCheck, viewCheck } from '../../shared/services/eligibility.ts';
import { applyForHaf, cancelBooking, viewApplication } from '../../shared/services/haf-applications.ts';
import type { Deps } from '../../shared/wiring.ts';

export const publicActions = (deps: Deps): Actions<'public-api'> => ({
  listSchemes: async () => ({ status: 200, body: { items: schemes } }),

  listProgrammes: async ({ query }) => {
    const at = deps.now();
    const programmes = await deps.catalogue.listProgrammes(query.scheme);
    return { status: 200, body: { items: programmes.map((p) => describeProgramme(p, at)) } };
  },

  listSessions: async ({ query }) => {
    const { programme, ...filter } = query;
    const page = await deps.catalogue.listSessions({ ...filter, programmeId: programme, today: dateInLondon(deps.now()) });
    return { status: 200, body: page };
  },

  checkEligibility: async ({ body, client }) => ({ status: 201, body: await checkEligibility(deps, body, client) }),

  getEligibilityCheck: async ({ params }) => ({ status: 200, body: viewCheck(await refreshCheck(deps, params.checkId)) }),

  createApplication: async ({ body, headers, client }) => {
    const created = await applyForHaf(deps, body, { requestKey: headers['idempotency-key'], client });
    return { status: 201, body: created, headers: { location: `/v1/applications/${created.reference}` } };
  },

  getApplication: async ({ params, headers }) =>
    ({ status: 200, body: await viewApplication(deps, params.reference, headers['x-manage-token']) }),

  cancelBooking: async ({ params, headers }) =>
    ({ status: 200, body: await cancelBooking(deps, params.bookingId, headers['x-manage-token']) }),

  getOpenApi: async () => ({ status: 200, body: openApiDocument() }),
});
