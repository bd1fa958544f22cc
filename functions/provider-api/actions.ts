import type { Actions } from '../../shared/http/api-handler.ts';
import type { Principal } from '../../shared/http/auth.ts';
import { forbidden } from '../../shared/http/problem.ts';
import { listOwnSessions, sendRegister, viewAttendance, type Sender } from '../../shared/services/attendance.ts';
import type { Deps } from '../../shared/wiring.ts';

export const providerActions = (deps: Deps): Actions<'provider-api'> => {
  /** The provider this machine client acts for: each app client maps to exactly one, and an unmapped one may see nothing. */
  const actingFor = async (principal: Principal): Promise<Sender> => {
    if (principal.kind !== 'machine') throw forbidden('This route is for provider clients.');
    const provider = await deps.catalogue.findProviderByClientId(principal.clientId);
    if (!provider) throw forbidden('This client is not registered to a provider.');
    return { providerId: provider.id, clientId: principal.clientId };
  };

  return {
    listProviderSessions: async ({ principal, query }) => {
      const { providerId } = await actingFor(principal);
      return { status: 200, body: await listOwnSessions(deps, providerId, query) };
    },

    getAttendance: async ({ principal, params }) => {
      const { providerId } = await actingFor(principal);
      return { status: 200, body: await viewAttendance(deps, providerId, params.sessionId) };
    },

    putRegister: async ({ principal, params, body }) =>
      ({ status: 200, body: await sendRegister(deps, await actingFor(principal), params.sessionId, body.records) }),
  };
};
