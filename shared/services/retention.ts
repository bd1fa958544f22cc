import { cardExpiry } from '../domain/cards.ts';
import type { CataloguePort, RetentionPort } from '../domain/ports.ts';
import { personalDataExpiry } from '../domain/programmes.ts';
import { logger } from '../observability/logger.ts';

// When a programme's end date or retention changes, the expiry of its personal data follows (docs/data-model.md,
// Retention): every item written with the old one is re-stamped. Setting a value is idempotent, so a record
// delivered twice, or a later change overtaking an earlier one, leaves the programme's current expiry.

export interface RetentionDeps {
  catalogue: Pick<CataloguePort, 'getProgramme' | 'programmeSessions' | 'listAgreements'>;
  retention: RetentionPort;
}

export async function restampRetention(deps: RetentionDeps, programmeId: string): Promise<Record<string, number>> {
  const programme = await deps.catalogue.getProgramme(programmeId);
  if (!programme) return {};
  const [sessions, agreements] = await Promise.all([deps.catalogue.programmeSessions(programmeId), deps.catalogue.listAgreements(programmeId)]);
  const personalData = personalDataExpiry(programme);
  const moved = await deps.retention.restamp(programmeId, sessions.map((s) => s.id), agreements.map((a) => a.providerId), {
    personalData, card: (validUntil) => cardExpiry(personalData, validUntil),
  });
  logger.info('personal data expiry re-stamped', { programmeId, expiresAtEpoch: personalData, moved });
  return moved;
}
