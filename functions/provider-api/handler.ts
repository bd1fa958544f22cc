import { apiHandler } from '../../shared/http/api-handler.ts';
import { providerRoutes } from '../../shared/http/routes/provider.ts';
import { AttendanceStore } from '../../shared/store/attendance.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import { FinanceStore } from '../../shared/store/finance.ts';
import { ReferralStore } from '../../shared/store/referrals.ts';
import { RequestStore } from '../../shared/store/requests.ts';
import { YouthCardStore } from '../../shared/store/youth-cards.ts';
import { system, table, wireIdempotency } from '../../shared/wiring.ts';
import { requestDigestFromConfig } from '../../shared/secrets/request-digest.ts';
import { providerActions } from './actions.ts';

const { db, name } = table();
const finance = new FinanceStore(db, name);
const deps = {
  catalogue: new CatalogueStore(db, name), attendance: new AttendanceStore(db, name), referrals: new ReferralStore(db, name),
  youthCards: new YouthCardStore(db, name), requests: new RequestStore(db, name), figures: finance, ledger: finance, ...system, requestDigest: requestDigestFromConfig(),
};

/**
 * Providers' own systems (scope `provider`): their sessions, attendance lists (JSON or CSV), registers and their own
 * statement; their Active Families families; Youth Cards at the desk (a visit keeps its first answer per Idempotency-Key).
 */
export const handler = apiHandler(providerRoutes, providerActions(deps), { idempotency: wireIdempotency(deps) });
