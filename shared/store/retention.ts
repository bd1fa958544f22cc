import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RetentionPort } from '../domain/ports.ts';
import { ClaimRef } from '../schemas/records.ts';
import { batchGet, conditionally, queryAll } from './dynamo.ts';
import { entities, keys, partitions, prefixes, type Key } from './keys.ts';

// A programme's personal data found from the programme itself (its sessions, its agreements' providers, its
// partition), never a Scan, so that its expiry can follow a change of the programme's dates or retention.

const str = (v: unknown) => String(v);
const updatesAtOnce = 25;

export class RetentionStore implements RetentionPort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async restamp(programmeId: string, sessionIds: readonly string[], providerIds: readonly string[], expiry: { personalData: number; card: (validUntil: string) => number }):
    Promise<Record<string, number>> {
    const targets = new Map<string, { key: Key; entity: string; validUntil?: string }>();
    const add = (key: Key, entity: string, validUntil?: string) => targets.set(`${key.pk}\u0000${key.sk}`, { key, entity, validUntil });
    const q = (pk: string, prefix: string, extra: Partial<{ IndexName: string }> = {}) => queryAll(this.db, {
      TableName: this.table, ...extra,
      KeyConditionExpression: extra.IndexName ? 'gsi3pk = :p AND begins_with(gsi3sk, :s)' : 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': pk, ':s': prefix },
    });
    const references = new Set<string>();
    for (const sessionId of sessionIds) {
      for (const i of [...await q(partitions.session(sessionId), prefixes.booking), ...await q(partitions.session(sessionId), prefixes.waitlist)]) {
        if (i.entity === entities.booking) {
          add(keys.booking(sessionId, str(i.bookingId)), entities.booking);
          add(keys.childDays({ childKey: str(i.childKey), programmeId, family: str(i.family) }), entities.childDays);
          add(keys.childAttended(str(i.childKey), programmeId), entities.childAttended);
          if (i.releasedFor) add(keys.release(str(i.releasedFor)), entities.release);
          references.add(str(i.reference));
        } else if (i.entity === entities.waitlistEntry) add({ pk: str(i.pk), sk: str(i.sk) }, entities.waitlistEntry);
      }
    }
    for (const reference of references) add(keys.application(reference), entities.application);
    // The codes the programme's applications claimed in it (each application names its claim, decision 011).
    const applications = await batchGet(this.db, this.table, [...references].map((r) => keys.application(r)));
    for (const a of applications) {
      const claim = a.claim === undefined ? undefined : ClaimRef.parse(a.claim);
      if (claim?.kind === 'code' && claim.programmeId === programmeId) add(keys.claim(claim), entities.eligibilityCode);
    }
    for (const i of [...await q(partitions.programme(programmeId), prefixes.childMatch), ...await q(partitions.programme(programmeId), prefixes.waiting)]) {
      if (i.entity === entities.childMatch || i.entity === entities.waitingEntry) add({ pk: str(i.pk), sk: str(i.sk) }, str(i.entity));
      if (i.entity === entities.waitingEntry) add(keys.referral(str(i.reference)), entities.referral);
    }
    for (const providerId of providerIds) {
      for (const i of await q(partitions.statement(programmeId, providerId), prefixes.statementLine)) add({ pk: str(i.pk), sk: str(i.sk) }, entities.contribution);
      for (const scheme of ['ACTIVE_FAMILIES', 'YOUTH_CARD']) {
        for (const r of await q(partitions.referralsOfProvider(providerId, scheme), prefixes.referralsIn(programmeId), { IndexName: 'GSI3' })) {
          add(keys.referral(str(r.reference)), entities.referral);
          const card = r.card as { number?: string; validUntil?: string } | undefined;
          if (card?.number) add(keys.youthCard(card.number), entities.youthCard, card.validUntil);
        }
      }
    }
    const moved: Record<string, number> = {};
    const restampOne = async (t: { key: Key; entity: string; validUntil?: string }) => {
      const at = t.validUntil ? expiry.card(t.validUntil) : expiry.personalData;
      const referral = t.entity === entities.referral;
      // Only items that exist and hold another expiry; a referral still awaiting its referrer keeps its own, short one.
      const changed = await conditionally(() => this.db.send(new UpdateCommand({
        TableName: this.table, Key: t.key, UpdateExpression: 'SET expiresAtEpoch = :e',
        ConditionExpression: `attribute_exists(pk) AND expiresAtEpoch <> :e${referral ? ' AND #s <> :awaiting' : ''}`,
        ...(referral ? { ExpressionAttributeNames: { '#s': 'status' } } : {}),
        ExpressionAttributeValues: { ':e': at, ...(referral ? { ':awaiting': 'awaitingReferrer' } : {}) },
      })));
      if (changed) moved[t.entity] = (moved[t.entity] ?? 0) + 1;
    };
    // In slices at once, so a programme of thousands of bookings fits the notifier's timeout instead of holding its shard.
    const all = [...targets.values()];
    for (let i = 0; i < all.length; i += updatesAtOnce) await Promise.all(all.slice(i, i + updatesAtOnce).map(restampOne));
    return moved;
  }
}
