import { config } from '../../shared/config.ts';
import { dfeClientFromConfig } from '../../shared/eligibility/dfe-client.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { staffTokenVerifier } from '../../shared/http/jwt.ts';
import { publicRoutes } from '../../shared/http/routes/public.ts';
import { ApplicationStore } from '../../shared/store/applications.ts';
import { BookingStore } from '../../shared/store/bookings.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import { EligibilityStore } from '../../shared/store/eligibility.ts';
import { ReferralStore } from '../../shared/store/referrals.ts';
import { ThrottleStore } from '../../shared/store/throttle.ts';
import { YouthCardStore } from '../../shared/store/youth-cards.ts';
import { system, table } from '../../shared/wiring.ts';
import { requestDigestFromConfig } from '../../shared/secrets/request-digest.ts';
import { publicActions } from './actions.ts';

const { db, name } = table();
const deps = {
  catalogue: new CatalogueStore(db, name), applications: new ApplicationStore(db, name), eligibility: new EligibilityStore(db, name),
  bookings: new BookingStore(db, name), throttle: new ThrottleStore(db, name),
  referrals: new ReferralStore(db, name), youthCards: new YouthCardStore(db, name),
  // An application with a check DfE had not decided asks DfE again (decision 012): without it the check stays pending for ever.
  checker: dfeClientFromConfig(), ...system, requestDigest: requestDigestFromConfig(),
};

const { JWT_ISSUER, JWT_CLIENT_IDS } = config();

/**
 * Parents and referrers: the catalogue, applications (HAF bookings, referrals), cancellations and referrers'
 * confirmations. No token needed; a referrer's, sent with an application, is checked here (shared/http/jwt.ts).
 * No record of answers either: an application's own reference claim makes its retries safe (idempotent: 'action').
 */
export const handler = apiHandler(publicRoutes, publicActions(deps), {
  verifyToken: staffTokenVerifier(JWT_ISSUER, JWT_CLIENT_IDS.split(',').filter(Boolean)),
});
