import { apiHandler } from '../../shared/http/api-handler.ts';
import { adminRoutes } from '../../shared/http/routes/admin.ts';
import { BookingStore } from '../../shared/store/bookings.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import { EligibilityStore } from '../../shared/store/eligibility.ts';
import { PrivacyStore } from '../../shared/store/privacy.ts';
import { ReferralStore } from '../../shared/store/referrals.ts';
import { RequestStore } from '../../shared/store/requests.ts';
import { YouthCardStore } from '../../shared/store/youth-cards.ts';
import { system, table, wireIdempotency } from '../../shared/wiring.ts';
import { requestDigestFromConfig } from '../../shared/secrets/request-digest.ts';
import { adminActions } from './actions.ts';

const { db, name } = table();
const deps = {
  catalogue: new CatalogueStore(db, name), bookings: new BookingStore(db, name), eligibility: new EligibilityStore(db, name),
  requests: new RequestStore(db, name), referrals: new ReferralStore(db, name),
  privacy: new PrivacyStore(db, name), youthCards: new YouthCardStore(db, name), ...system, requestDigest: requestDigestFromConfig(),
};

/** The programme team (group `admin`): programmes, providers, agreements, sessions, eligibility codes, subject access and erasure. */
export const handler = apiHandler(adminRoutes, adminActions(deps), { idempotency: wireIdempotency(deps) });
