import { notFound } from '../../http/problem.ts';
import type { PageResult } from '../../http/page-handler.ts';
import { asset } from '../assets.ts';
import { openProgrammes, type SiteDeps } from './journey.ts';

// The pages that only inform: the start page, help without a code, the statements every council service keeps.

export const infoPages = (deps: SiteDeps) => ({
  startPage: async (): Promise<PageResult> => ({ view: 'pages/start', model: { title: 'Book a free holiday club place', programmes: await openProgrammes(deps) } }),
  noCodePage: async (): Promise<PageResult> => ({ view: 'pages/no-code', model: { title: 'If you do not have a code', backLink: '/eligibility' } }),
  accessibilityPage: async (): Promise<PageResult> => ({ view: 'pages/accessibility', model: { title: 'Accessibility statement' } }),
  privacyPage: async (): Promise<PageResult> => ({ view: 'pages/privacy', model: { title: 'How we use your information' } }),
  cookiesPage: async (): Promise<PageResult> => ({ view: 'pages/cookies', model: { title: 'Cookies' } }),
  asset: async ({ params }: { params: { file: string } }): Promise<PageResult> => {
    const found = asset(`/assets/${params.file}`);
    if (!found) throw notFound();
    return { asset: found };
  },
});
