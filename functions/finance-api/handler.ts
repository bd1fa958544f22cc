import { apiHandler } from '../../shared/http/api-handler.ts';
import { financeRoutes } from '../../shared/http/routes/finance.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import { FinanceStore } from '../../shared/store/finance.ts';
import { RequestStore } from '../../shared/store/requests.ts';
import { system, table, wireIdempotency } from '../../shared/wiring.ts';
import { requestDigestFromConfig } from '../../shared/secrets/request-digest.ts';
import { financeActions } from './actions.ts';

const { db, name } = table();
const finance = new FinanceStore(db, name);
const deps = {
  catalogue: new CatalogueStore(db, name), figures: finance, ledger: finance, requests: new RequestStore(db, name), ...system,
  requestDigest: requestDigestFromConfig(),
};

/** Finance officers (group `finance`): reconciliation, the payments ledger, statements, closing a holiday, the DfE HAF return. */
export const handler = apiHandler(financeRoutes, financeActions(deps), { idempotency: wireIdempotency(deps) });
