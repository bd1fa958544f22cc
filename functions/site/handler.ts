import { dfeClientFromConfig } from '../../shared/eligibility/dfe-client.ts';
import { pageHandler } from '../../shared/http/page-handler.ts';
import { siteRoutes } from '../../shared/http/routes/site.ts';
import { ApplicationStore } from '../../shared/store/applications.ts';
import { BookingStore } from '../../shared/store/bookings.ts';
import { CatalogueStore } from '../../shared/store/catalogue.ts';
import { EligibilityStore } from '../../shared/store/eligibility.ts';
import { ReferralStore } from '../../shared/store/referrals.ts';
import { SiteSessionStore } from '../../shared/store/site-sessions.ts';
import { ThrottleStore } from '../../shared/store/throttle.ts';
import { YouthCardStore } from '../../shared/store/youth-cards.ts';
import { system, table } from '../../shared/wiring.ts';
import { requestDigestFromConfig } from '../../shared/secrets/request-digest.ts';
import { sitePages } from './pages.ts';

const { db, name } = table();
const deps = {
  catalogue: new CatalogueStore(db, name), applications: new ApplicationStore(db, name), eligibility: new EligibilityStore(db, name),
  bookings: new BookingStore(db, name), throttle: new ThrottleStore(db, name), checker: dfeClientFromConfig(),
  referrals: new ReferralStore(db, name), youthCards: new YouthCardStore(db, name), ...system, requestDigest: requestDigestFromConfig(),
};

/** The booking site: parents' pages over the same services as the public and eligibility APIs. */
export const handler = pageHandler(siteRoutes, sitePages(deps), { sessions: new SiteSessionStore(db, name), now: system.now });
