import { afNotices } from './active-families/notices.ts';
import { hafNotices } from './haf/notices.ts';
import type { SchemeId } from './registry.ts';
import type { SchemeNotices } from './scheme.ts';
import { ycNotices } from './youth-card/notices.ts';

// Each scheme's emails, by scheme: carried by the notifier only.

export const notices: Partial<Record<SchemeId, SchemeNotices>> = {
  HAF: hafNotices,
  ACTIVE_FAMILIES: afNotices,
  YOUTH_CARD: ycNotices,
};
