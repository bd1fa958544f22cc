import type { Actions, Reply } from '../../shared/http/api-handler.ts';
import type { adminRoutes } from '../../shared/http/routes/admin.ts';
import {
  type CatalogueDeps, listChildMatches, loadEligibilityCodes, putAgreement, putProgramme, putProvider, putSession,
} from '../../shared/services/catalogue.ts';
import { erase, type PrivacyDeps, subjectAccess } from '../../shared/services/privacy.ts';


/** A create-or-update answers 201 the first time and 200 after. */
const saved = ({ value, created }: { value: unknown; created: boolean }): Reply => ({ status: created ? 201 : 200, body: value });

export const adminActions = (deps: CatalogueDeps & PrivacyDeps): Actions<typeof adminRoutes> => ({
  putProgramme: async ({ params, body }) => saved(await putProgramme(deps, params.programmeId, body)),
  putProvider: async ({ params, body }) => saved(await putProvider(deps, params.providerId, body)),
  putAgreement: async ({ params, body, principal }) =>
    saved(await putAgreement(deps, params.programmeId, params.providerId, body, principal.kind === 'staff' ? principal.subject : 'unknown')),
  putSession: async ({ params, body }) => saved(await putSession(deps, params.sessionId, body)),
  listChildMatches: async ({ params }) => ({ status: 200, body: { items: await listChildMatches(deps, params.programmeId) } }),
  loadEligibilityCodes: async ({ body }) => ({ status: 200, body: await loadEligibilityCodes(deps, body) }),
  subjectAccessRequest: async ({ body }) => ({ status: 200, body: await subjectAccess(deps, body.email) }),
  erasureRequest: async ({ body, principal }) =>
    ({ status: 200, body: await erase(deps, body, principal.kind === 'staff' ? principal.subject : 'unknown') }),
});
