import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { visitRefusal } from '../domain/cards.ts';
import type { VisitOutcome, YouthCardsPort } from '../domain/ports.ts';
import { YouthCardRecord } from '../schemas/records.ts';
import { keys } from './keys.ts';

// Youth Cards and their visits. A visit is one conditional update of the card: at its provider, within its
// dates and within its allowance, so two desks scanning the same card at once can never go past it.

export class YouthCardStore implements YouthCardsPort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async get(number: string): Promise<YouthCardRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.youthCard(number), ConsistentRead: true }));
    return out.Item && YouthCardRecord.parse(out.Item);
  }

  async recordVisit(number: string, v: { providerId: string; clientId: string; today: string; at: string }): Promise<VisitOutcome> {
    try {
      const out = await this.db.send(new UpdateCommand({
        TableName: this.table, Key: keys.youthCard(number), ReturnValues: 'ALL_NEW',
        UpdateExpression: 'SET visitsUsed = visitsUsed + :one, visits = list_append(visits, :visit)',
        ConditionExpression: 'providerId = :provider AND validFrom <= :today AND validUntil >= :today '
          + 'AND (attribute_not_exists(visitsAllowed) OR visitsUsed < visitsAllowed)',
        ExpressionAttributeValues: { ':one': 1, ':visit': [{ at: v.at, by: v.clientId }], ':provider': v.providerId, ':today': v.today },
      }));
      return { recorded: true, card: YouthCardRecord.parse(out.Attributes) };
    } catch (e) {
      if ((e as Error)?.name !== 'ConditionalCheckFailedException') throw e;
      // Why it failed, read after: a card's dates never change and a used-up card stays used up.
      const card = await this.get(number);
      if (!card) return { recorded: false, missing: true };
      return { recorded: false, refusal: visitRefusal(card, v.providerId, v.today) ?? 'usedUp', card };
    }
  }
}
