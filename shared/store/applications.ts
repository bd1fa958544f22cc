import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EligibilityOutcome } from '../domain/eligibility.ts';
import type { BookingOutcome } from '../schemas/applications.ts';
import { batchGet } from './batch.ts';
import { bookingKey, type StoredBooking } from './bookings.ts';

// Applications (what a parent sent and what each child got), eligibility checks and the
// claim a family makes on a council-issued code.

export const applicationKey = (reference: string) => ({ pk: `APPLICATION#${reference}`, sk: 'APPLICATION' });
const checkKey = (checkId: string) => ({ pk: `CHECK#${checkId}`, sk: 'CHECK' });

export interface StoredChild {
  childId: string; firstName: string;
  /** `reason` is a code (see explainReason). */
  bookings: BookingOutcome[];
}

export interface StoredApplication {
  reference: string; programmeId: string; scheme: 'HAF'; status: 'processing' | 'complete';
  manageToken: string;
  /** A hash of the parent's email: tells the same family's request run again from another family's. */
  family: string;
  parent: { firstName: string; lastName: string; email: string; phone?: string; postcode: string };
  eligibility: { via: 'check' | 'code'; outcome: string };
  children: StoredChild[];
  createdAt: string; updatedAt: string;
  /** The programme's retention period ends (DynamoDB TTL, epoch seconds). */
  expiresAtEpoch: number;
}

/** Never the NI number, the name or the date of birth: only what the check concluded and until when. */
export interface StoredCheck {
  checkId: string; outcome: EligibilityOutcome; dfeCheckId?: string; code?: string; createdAt: string; expiresAt: string;
}

export type CodeClaim = 'eligible' | 'discretionary' | 'notEligible' | 'unknown' | 'usedByAnotherFamily';

export class ApplicationStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /**
   * Claims a reference before any place is taken: a small item, so the claim costs one write unit.
   * False if the reference is already in use.
   */
  async open(opening: Pick<StoredApplication, 'reference' | 'family' | 'manageToken' | 'createdAt' | 'expiresAtEpoch'>): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.table,
        Item: { ...applicationKey(opening.reference), entity: 'Application', status: 'processing', ...opening, updatedAt: opening.createdAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  /** Writes the whole application with every child's outcome; the stream turns this into the email. */
  async complete(app: StoredApplication): Promise<void> {
    await this.db.send(new PutCommand({
      TableName: this.table, Item: { ...applicationKey(app.reference), entity: 'Application', ...app },
      ConditionExpression: '#s = :processing', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':processing': 'processing' },
    }));
  }

  async get(reference: string): Promise<StoredApplication | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: applicationKey(reference), ConsistentRead: true }));
    return out.Item as StoredApplication | undefined;
  }

  /** The application's bookings as they stand now (a place may have been cancelled or offered since). */
  async currentBookings(app: StoredApplication): Promise<Map<string, StoredBooking>> {
    const keys = app.children.flatMap((c) => c.bookings.filter((b) => b.status !== 'rejected').map((b) => bookingKey(b.sessionId, b.bookingId)));
    const items = (await batchGet(this.db, this.table, keys)) as unknown as StoredBooking[];
    return new Map(items.map((b) => [b.bookingId, b]));
  }

  /** Records a check, or its settled outcome; false if a family has claimed it meanwhile (it is settled already). */
  async putCheck(check: StoredCheck): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.table,
        Item: { ...checkKey(check.checkId), entity: 'EligibilityCheck', ...check, expiresAtEpoch: Math.ceil(Date.parse(check.expiresAt) / 1000) },
        ConditionExpression: 'attribute_not_exists(claimedBy)',
      }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  async getCheck(checkId: string): Promise<StoredCheck | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: checkKey(checkId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { pk, sk, entity, expiresAtEpoch, claimedBy, ...check } = out.Item;
    return check as StoredCheck;
  }

  /**
   * Claims a settled check for the family whose application first cites it, as a code is claimed:
   * a check id passed on to another family does not make that family eligible.
   */
  async claimCheck(checkId: string, family: string): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.table, Key: checkKey(checkId), UpdateExpression: 'SET claimedBy = :f',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(claimedBy) OR claimedBy = :f)',
        ExpressionAttributeValues: { ':f': family },
      }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  /** What a code says in any programme, without claiming it (an eligibility check by code). */
  async codeOutcomes(code: string): Promise<{ programmeId: string; outcome: string; claimed: boolean }[]> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `CODE#${code}` },
    }));
    return (out.Items ?? []).map((i) => ({
      programmeId: String(i.sk).slice('PROGRAMME#'.length), outcome: String(i.outcome), claimed: i.claimedBy !== undefined,
    }));
  }

  /** Claims a programme's code for a family: the first family to use it keeps it; others are refused. */
  async claimCode(code: string, programmeId: string, family: string, now: string, expiresAtEpoch: number): Promise<CodeClaim> {
    const Key = { pk: `CODE#${code}`, sk: `PROGRAMME#${programmeId}` };
    try {
      const out = await this.db.send(new UpdateCommand({
        TableName: this.table, Key, ReturnValues: 'ALL_NEW',
        // The claim names a family (by a hash), so it goes with the programme's other personal data.
        UpdateExpression: 'SET claimedBy = :f, claimedAt = if_not_exists(claimedAt, :now), expiresAtEpoch = :expires',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(claimedBy) OR claimedBy = :f)',
        ExpressionAttributeValues: { ':f': family, ':now': now, ':expires': expiresAtEpoch },
      }));
      const outcome = out.Attributes?.outcome;
      return outcome === 'eligible' || outcome === 'discretionary' ? outcome : 'notEligible';
    } catch (e) {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      const item = await this.db.send(new GetCommand({ TableName: this.table, Key, ConsistentRead: true }));
      return item.Item ? 'usedByAnotherFamily' : 'unknown';
    }
  }
}
