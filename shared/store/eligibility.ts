import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EligibilityPort } from '../domain/ports.ts';
import { CheckRecord, CodeRecord, type CodeOutcome } from '../schemas/records.ts';
import { conditionally } from './dynamo.ts';
import { entities, keys, parse, partitions, type Key } from './keys.ts';

// Eligibility codes the council loads (or the service makes) and the checks parents make, and the
// claim a family's application makes on either. One store for both: a check by code cites a code.

export class EligibilityStore implements EligibilityPort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  // ── Checks ──
  /** Records a check, or its settled outcome; false if a family has claimed it meanwhile (it is settled already). */
  putCheck(check: CheckRecord): Promise<boolean> {
    const { claimedBy, ...unclaimed } = check;
    return conditionally(() => this.db.send(new PutCommand({
      TableName: this.table,
      Item: { ...keys.check(check.checkId), entity: entities.eligibilityCheck, ...unclaimed, expiresAtEpoch: Math.ceil(Date.parse(check.expiresAt) / 1000) },
      ConditionExpression: 'attribute_not_exists(claimedBy)',
    })));
  }

  async getCheck(checkId: string): Promise<CheckRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.check(checkId), ConsistentRead: true }));
    return out.Item && CheckRecord.parse(out.Item);
  }

  /** Claims a settled check for the family whose application first tries for a place with it. */
  claimCheck(checkId: string, family: string, reference: string): Promise<boolean> {
    return this.claim(keys.check(checkId), family, reference, {});
  }

  /** Gives back a check this application claimed but holds nothing with (every place refused). */
  releaseCheck(checkId: string, reference: string): Promise<void> {
    return this.release(keys.check(checkId), reference, false);
  }

  // ── Codes ──
  /** Loads codes for a programme; a code a family has already used keeps its state. */
  async loadCodes(programmeId: string, codes: readonly { code: string; outcome: CodeOutcome }[], now: string): Promise<{ loaded: number; unchanged: number }> {
    let loaded = 0;
    let unchanged = 0;
    const unique = [...new Map(codes.map((c) => [c.code, c])).values()];
    for (let i = 0; i < unique.length; i += 25) {
      const done = await Promise.all(unique.slice(i, i + 25).map(({ code, outcome }) => conditionally(() => this.db.send(new UpdateCommand({
        TableName: this.table, Key: keys.code(code, programmeId),
        UpdateExpression: 'SET outcome = :o, loadedAt = :t, entity = :e, code = :c, programmeId = :p',
        ConditionExpression: 'attribute_not_exists(claimedBy)',
        ExpressionAttributeValues: { ':o': outcome, ':t': now, ':e': entities.eligibilityCode, ':c': code, ':p': programmeId },
      })))));
      loaded += done.filter(Boolean).length;
      unchanged += done.filter((d) => !d).length;
    }
    return { loaded, unchanged };
  }

  /** What a code says in every programme that issued it, without claiming it (an eligibility check by code). */
  async codeEverywhere(code: string): Promise<CodeRecord[]> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': partitions.code(code) },
    }));
    return (out.Items ?? []).map((i) => CodeRecord.parse({ ...i, code, programmeId: parse.codeProgramme(String(i.sk)) }));
  }

  /** A programme's code, without claiming it: its outcome and which family (if any) holds it. */
  async getCode(code: string, programmeId: string): Promise<CodeRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.code(code, programmeId), ConsistentRead: true }));
    return out.Item && CodeRecord.parse({ ...out.Item, code, programmeId });
  }

  /**
   * Claims a programme's code for a family once its application tries for a place: the first family keeps
   * it, and the same family may use it again. False if another family holds it. The claim names a family
   * (by a hash), so it goes with the programme's other personal data.
   */
  claimCode(code: string, programmeId: string, family: string, reference: string, now: string, expiresAtEpoch: number): Promise<boolean> {
    return this.claim(keys.code(code, programmeId), family, reference, { claimedAt: now, expiresAtEpoch });
  }

  /** Gives back a code this application claimed but holds nothing with, so the family can still use it. */
  releaseCode(code: string, programmeId: string, reference: string): Promise<void> {
    return this.release(keys.code(code, programmeId), reference, true);
  }

  /**
   * `claimedByReference` remembers which application made the claim: only that one may give it back. Subject access
   * and erasure find the claim through the application that made it (its `claim`), so it needs no index entry.
   */
  private claim(Key: Key, family: string, reference: string, extra: Record<string, unknown>): Promise<boolean> {
    const sets = Object.keys(extra).map((k) => `, ${k} = if_not_exists(${k}, :${k})`).join('');
    return conditionally(() => this.db.send(new UpdateCommand({
      TableName: this.table, Key,
      UpdateExpression: `SET claimedBy = :f, claimedByReference = if_not_exists(claimedByReference, :ref)${sets}`,
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(claimedBy) OR claimedBy = :f)',
      ExpressionAttributeValues: { ':f': family, ':ref': reference, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`:${k}`, v])) },
    })));
  }

  private async release(Key: Key, reference: string, dropExpiry: boolean): Promise<void> {
    // Claimed earlier by another application of the same family: that one keeps it (the condition fails).
    await conditionally(() => this.db.send(new UpdateCommand({
      TableName: this.table, Key,
      UpdateExpression: `REMOVE claimedBy, claimedByReference, claimedAt${dropExpiry ? ', expiresAtEpoch' : ''}`,
      ConditionExpression: 'claimedByReference = :ref', ExpressionAttributeValues: { ':ref': reference },
    })));
  }
}
