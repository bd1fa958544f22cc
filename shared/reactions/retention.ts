import { personalDataExpiry } from '../domain/programmes.ts';
import type { EntityChange } from '../store/stream.ts';
import type { Effect } from './effects.ts';

/** A programme whose end date or retention moved owes its personal data the new expiry (docs/data-model.md, Retention). */
export function retentionOwed(change: EntityChange): Effect[] {
  if (change.entity !== 'programme' || !change.before || !change.after) return [];
  return personalDataExpiry(change.before) === personalDataExpiry(change.after) ? [] : [{ kind: 'restampRetention', programmeId: change.after.id }];
}
