// GOV.UK Frontend's components, where the browser runs modules; every page works without this too.
import { initAll } from './govuk-frontend.min.js';

initAll();
