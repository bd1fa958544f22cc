import { visitRefusal, visitsLeft, type CardRefusal } from '../../domain/cards.ts';
import { dateInLondon } from '../../domain/calendar.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { formatCardNumber } from '../../domain/ids.ts';
import type { CataloguePort, YouthCardsPort } from '../../domain/ports.ts';
import { longDate } from '../../mail/format.ts';
import type { YouthCardRecord } from '../../schemas/records.ts';
import type { DeskCard } from './input.ts';

// A leisure centre's desk: check a Youth Card, and record a visit on it. A number with a wrong check digit
// never gets here (the route's schema answers 422 "check the number"); a number no card has is a 404.

export interface DeskDeps {
  youthCards: YouthCardsPort;
  catalogue: Pick<CataloguePort, 'getProvider'>;
  now: () => Date;
}

/** Who is at the desk: the provider, and the app client that acts for it. */
export interface Desk { providerId: string; clientId: string }

const providerName = async (deps: DeskDeps, id: string) => (await deps.catalogue.getProvider(id))?.name;

/** What a desk is told about a card: everything if it is theirs, only where it is for if it is another provider's. */
export async function checkCard(deps: DeskDeps, desk: Desk, number: string): Promise<DeskCard> {
  const card = await deps.youthCards.get(number);
  if (!card) throw notFound('This Youth Card');
  const refusal = visitRefusal(card, desk.providerId, dateInLondon(deps.now()));
  if (refusal === 'issuedElsewhere') {
    const name = await providerName(deps, card.providerId);
    return { number: formatCardNumber(card.number), status: refusal, providerId: card.providerId, ...(name ? { providerName: name } : {}) };
  }
  return {
    number: formatCardNumber(card.number), status: refusal ?? 'valid', providerId: card.providerId, firstName: card.firstName,
    validFrom: card.validFrom, validUntil: card.validUntil, visitsAllowed: card.visitsAllowed ?? null, visitsUsed: card.visitsUsed, visitsLeft: visitsLeft(card),
  };
}

/** Why the desk may not record a visit, in words it can read out; the `reason` lets its system branch. */
async function refusalWords(deps: DeskDeps, refusal: CardRefusal, card: YouthCardRecord): Promise<string> {
  switch (refusal) {
    case 'issuedElsewhere': return `This card was issued at ${(await providerName(deps, card.providerId)) ?? 'another provider'}: it can only be used there.`;
    case 'notYetValid': return `This card can be used from ${longDate(card.validFrom)}.`;
    case 'expired': return `This card expired at the end of ${longDate(card.validUntil)}.`;
    case 'usedUp': return `All ${card.visitsAllowed} visits on this card have been used.`;
  }
}

/** One visit, recorded by one conditional update of the card: 409 with the reason when it cannot be. */
export async function recordVisit(deps: DeskDeps, desk: Desk, number: string) {
  const at = deps.now();
  const outcome = await deps.youthCards.recordVisit(number, { ...desk, today: dateInLondon(at), at: at.toISOString() });
  if ('missing' in outcome) throw notFound('This Youth Card');
  if (!outcome.recorded) throw new DomainError('conflict', await refusalWords(deps, outcome.refusal, outcome.card), [], undefined, outcome.refusal);
  const { card } = outcome;
  return { number: formatCardNumber(card.number), visitedAt: at.toISOString(), visitsUsed: card.visitsUsed, visitsLeft: visitsLeft(card), validUntil: card.validUntil };
}
