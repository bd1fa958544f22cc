import { apiHandler } from '../../shared/http/api-handler.ts';
import { referrerRoutes } from '../../shared/http/routes/referrer.ts';
import { ApplicationStore } from '../../shared/store/applications.ts';
import { BookingStore } from '../../shared/store/bookings.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import { EligibilityStore } from '../../shared/store/eligibility.ts';
import { ReferralStore } from '../../shared/store/referrals.ts';
import { ThrottleStore } from '../../shared/store/throttle.ts';
import { YouthCardStore } from '../../shared/store/youth-cards.ts';
import { system, table } from '../../shared/wiring.ts';
import { requestDigestFromConfig } from '../../shared/secrets/request-digest.ts';
import { referrerActions } from './actions.ts';

const { db, name } = table();
const deps = {
  catalogue: new CatalogueStore(db, name), referrals: new ReferralStore(db, name), youthCards: new YouthCardStore(db, name),
  applications: new ApplicationStore(db, name), eligibility: new EligibilityStore(db, name), bookings: new BookingStore(db, name),
  throttle: new ThrottleStore(db, name), ...system, requestDigest: requestDigestFromConfig(),
};

/**
 * Partner staff signed in (group `referrer`): referrals acted on at once, and their own list. A referral's own
 * reference, claimed from its Idempotency-Key, makes its retries safe (idempotent: 'action').
 */
export const handler = apiHandler(referrerRoutes, referrerActions(deps));
