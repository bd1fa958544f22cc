import { hafNotices } from './haf/notices.ts';
import type { SchemeId } from './registry.ts';
import type { SchemeNotices } from './scheme.ts';

// Each scheme's emails, by scheme: carried by the notifier only.

export const notices: Partial<Record<SchemeId, SchemeNotices>> = {
  HAF: hafNotices,
};
