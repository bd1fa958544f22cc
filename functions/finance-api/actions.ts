import type { Actions } from '../../shared/http/api-handler.ts';
import type { Principal } from '../../shared/http/auth.ts';
import type { financeRoutes } from '../../shared/http/routes/finance.ts';
import {
  agreementHistory, closeProgramme, closureHistory, dfeReturn, listPayments, postPayment, reconcile, reopenProgramme, statement, type FinanceDeps,
} from '../../shared/services/finance.ts';

/** Who did it, for the ledger and the audit trail: the signed-in user's subject. */
const who = (p: Principal) => (p.kind === 'staff' ? p.subject : p.kind === 'machine' ? p.clientId : 'anonymous');

export const financeActions = (deps: FinanceDeps & { newId: () => string }): Actions<typeof financeRoutes> => ({
  getReconciliation: async ({ query }) => ({ status: 200, body: await reconcile(deps, query.programme) }),
  postPayment: async ({ body, principal }) => {
    const line = await postPayment(deps, body, who(principal));
    return { status: 201, body: line, headers: { location: `/v1/finance/payments?programme=${line.programmeId}&provider=${line.providerId}` } };
  },
  listPayments: async ({ query }) => ({ status: 200, body: await listPayments(deps, query) }),
  getStatement: async ({ params, query }) => ({ status: 200, body: await statement(deps, query.programme, params.providerId) }),
  closeProgramme: async ({ params, principal }) => ({ status: 200, body: await closeProgramme(deps, params.programmeId, who(principal)) }),
  reopenProgramme: async ({ params, body, principal }) =>
    ({ status: 200, body: await reopenProgramme(deps, params.programmeId, body.reason, who(principal)) }),
  listClosures: async ({ params }) => ({ status: 200, body: { items: await closureHistory(deps, params.programmeId) } }),
  getHafReturn: async ({ query }) => ({ status: 200, body: await dfeReturn(deps, query.programme) }),
  listAgreementVersions: async ({ query }) => ({ status: 200, body: { items: await agreementHistory(deps, query.programme, query.provider) } }),
});
