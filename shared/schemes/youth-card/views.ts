import { visitsLeft } from '../../domain/cards.ts';
import { formatCardNumber } from '../../domain/ids.ts';
import type { ReferralsPort, YouthCardsPort } from '../../domain/ports.ts';
import type { YouthCardReferral } from '../../schemas/records.ts';
import { referralStatus, waitingPosition } from '../../services/referrals.ts';
import type { YcCreated, YcView } from './input.ts';

// A Youth Card referral as its referrer and young person see it: the card, or where they wait.

interface ViewDeps { referrals: Pick<ReferralsPort, 'waitingPosition'>; now: () => Date }

export const cardOf = (r: YouthCardReferral) => r.card && r.providerId && {
  number: formatCardNumber(r.card.number), providerId: r.providerId, validFrom: r.card.validFrom, validUntil: r.card.validUntil,
  visitsAllowed: r.card.visitsAllowed ?? null,
};

async function standing(deps: ViewDeps, r: YouthCardReferral) {
  const position = await waitingPosition(deps, r);
  const card = cardOf(r);
  return {
    ...(card ? { card } : {}),
    ...(position !== undefined ? { waitlistPosition: position } : {}),
    ...(r.status === 'awaitingReferrer' ? { confirmBy: r.confirmBy } : {}),
  };
}

export async function ycAnswer(deps: ViewDeps, r: YouthCardReferral): Promise<YcCreated> {
  return { reference: r.reference, manageToken: r.manageToken, status: r.status as YcCreated['status'], ...(await standing(deps, r)) };
}

export async function ycConfirmed(deps: ViewDeps, r: YouthCardReferral) {
  const { confirmBy: _, ...rest } = await standing(deps, r);
  return { reference: r.reference, scheme: 'YOUTH_CARD' as const, status: r.status as 'confirmed' | 'issued' | 'waitlisted', ...rest };
}

export async function ycView(
  deps: ViewDeps & { youthCards: Pick<YouthCardsPort, 'get'>; providerName: (id: string) => Promise<string | undefined> }, r: YouthCardReferral,
): Promise<YcView> {
  const { card, ...rest } = await standing(deps, r);
  const [stored, providerName] = await Promise.all([
    r.card ? deps.youthCards.get(r.card.number) : undefined, r.providerId ? deps.providerName(r.providerId) : undefined,
  ]);
  const used = stored?.visitsUsed ?? 0;
  return {
    reference: r.reference, scheme: 'YOUTH_CARD', programmeId: r.programmeId, createdAt: r.createdAt, status: referralStatus(r, deps.now()),
    firstName: r.youngPerson.firstName, district: r.district, ...(providerName ? { providerName } : {}),
    ...(card ? { card: { ...card, visitsUsed: used, visitsLeft: visitsLeft({ visitsAllowed: r.card?.visitsAllowed, visitsUsed: used }) } } : {}),
    ...rest,
  };
}
