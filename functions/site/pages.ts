import type { Pages } from '../../shared/http/page-handler.ts';
import type { siteRoutes } from '../../shared/http/routes/site.ts';
import { bookingPages } from '../../shared/site/pages/booking.ts';
import { eligibilityPages } from '../../shared/site/pages/eligibility.ts';
import { familyPages } from '../../shared/site/pages/family.ts';
import { infoPages } from '../../shared/site/pages/info.ts';
import type { SiteDeps } from '../../shared/site/pages/journey.ts';
import { referralPages } from '../../shared/site/pages/referrals.ts';
import { sessionPages } from '../../shared/site/pages/sessions.ts';

/** Every page of the site, by operation: the compiler checks each route has one. */
export const sitePages = (deps: SiteDeps): Pages<typeof siteRoutes> => ({
  ...infoPages(deps), ...eligibilityPages(deps), ...familyPages(deps), ...sessionPages(deps), ...bookingPages(deps),
  ...referralPages(deps),
});
