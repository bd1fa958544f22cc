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
  /** False when every session was refused before any place was considered: the response says why, and no email goes. */
  emailOwed: boolean;
  createdAt: string; updatedAt: string;
  /** With an Idempotency-Key: a digest of the key and body, telling a retry from another request under the same key. */
  requestDigest?: string;
  /** The programme's retention period ends (DynamoDB TTL, epoch seconds). */
  expiresAtEpoch: number;
}

/** The small first write that claims a reference; `leaseUntil` says until when the run that made it is working on it. */
export type Opening = Pick<StoredApplication, 'reference' | 'family' | 'manageToken' | 'createdAt' | 'expiresAtEpoch' | 'requestDigest'> & { leaseUntil: string };

/** Never the NI number, the name or the date of birth: only what the check concluded and until when. */
export interface StoredCheck {
  checkId: string; outcome: EligibilityOutcome; dfeCheckId?: string; code?: string; createdAt: string; expiresAt: string;
  /** A DfE check: the parent's surname as a digest salted with the check id (see surnameDigest). */
  surnameDigest?: string;
  /** The family (a hash of the email) whose application holds a place with it. */
  claimedBy?: string;
}

export type CodeOutcome = 'eligible' | 'discretionary' | 'notEligible';
const codeKey = (code: string, programmeId: string) => ({ pk: `CODE#${code}`, sk: `PROGRAMME#${programmeId}` });

export class ApplicationStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /**
   * Claims a reference before any place is taken: a small item, so the claim costs one write unit.
   * False if the reference is already in use.
   */
  async open(opening: Opening): Promise<boolean> {
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

  /**
   * Takes over an application still `processing` whose run has stopped answering (its lease has run
   * out: the function timed out or died). False if it finished, or another run holds it.
   */
  async takeOver(reference: string, now: string, leaseUntil: string): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.table, Key: applicationKey(reference), UpdateExpression: 'SET leaseUntil = :until',
        ConditionExpression: '#s = :processing AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':processing': 'processing', ':now': now, ':until': leaseUntil },
      }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  /** A run that stops without finishing (it holds nothing) lets a retry take over at once. */
  async releaseLease(reference: string): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: applicationKey(reference), UpdateExpression: 'REMOVE leaseUntil',
      ConditionExpression: '#s = :processing', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':processing': 'processing' },
    })).catch((e) => { if ((e as Error).name !== 'ConditionalCheckFailedException') throw e; });
  }

  /** Writes the whole application with every child's outcome; the stream turns this into the email. False if another run completed it first. */
  async complete(app: StoredApplication): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.table, Item: { ...applicationKey(app.reference), entity: 'Application', ...app },
        ConditionExpression: '#s = :processing', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':processing': 'processing' },
      }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
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
    const { pk, sk, entity, expiresAtEpoch, claimedByReference, ...check } = out.Item;
    return check as StoredCheck;
  }

  /**
   * Claims a settled check for the family whose application first holds a place with it, as a code is
   * claimed: a check id passed on to another family does not make that family eligible.
   */
  claimCheck(checkId: string, family: string, reference: string): Promise<boolean> {
    return this.claim(checkKey(checkId), family, reference, {});
  }

  /** Gives back a check this application claimed but holds nothing with (every place refused). */
  releaseCheck(checkId: string, reference: string): Promise<void> {
    return this.release(checkKey(checkId), reference, false);
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

  /** A programme's code, without claiming it: its outcome and which family (if any) holds it. */
  async getCode(code: string, programmeId: string): Promise<{ outcome: CodeOutcome; claimedBy?: string } | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: codeKey(code, programmeId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const outcome = out.Item.outcome === 'eligible' || out.Item.outcome === 'discretionary' ? out.Item.outcome : 'notEligible';
    return { outcome, ...(typeof out.Item.claimedBy === 'string' ? { claimedBy: out.Item.claimedBy } : {}) };
  }

  /**
   * Claims a programme's code for a family once its application holds a place: the first family keeps
   * it, and the same family may use it again. False if another family holds it. The claim names a family
   * (by a hash), so it goes with the programme's other personal data.
   */
  claimCode(code: string, programmeId: string, family: string, reference: string, now: string, expiresAtEpoch: number): Promise<boolean> {
    return this.claim(codeKey(code, programmeId), family, reference, { claimedAt: now, expiresAtEpoch });
  }

  /** Gives back a code this application claimed but holds nothing with, so the family can still use it. */
  releaseCode(code: string, programmeId: string, reference: string): Promise<void> {
    return this.release(codeKey(code, programmeId), reference, true);
  }

  /** `claimedByReference` remembers which application made the claim: only that one may give it back. */
  private async claim(Key: { pk: string; sk: string }, family: string, reference: string, extra: Record<string, unknown>): Promise<boolean> {
    const sets = Object.keys(extra).map((k) => `${k} = if_not_exists(${k}, :${k})`);
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.table, Key,
        UpdateExpression: `SET claimedBy = :f, claimedByReference = if_not_exists(claimedByReference, :ref)${sets.map((x) => `, ${x}`).join('')}`,
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(claimedBy) OR claimedBy = :f)',
        ExpressionAttributeValues: { ':f': family, ':ref': reference, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`:${k}`, v])) },
      }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  private async release(Key: { pk: string; sk: string }, reference: string, dropExpiry: boolean): Promise<void> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.table, Key,
        UpdateExpression: `REMOVE claimedBy, claimedByReference, claimedAt${dropExpiry ? ', expiresAtEpoch' : ''}`,
        ConditionExpression: 'claimedByReference = :ref', ExpressionAttributeValues: { ':ref': reference },
      }));
    } catch (e) {
      // Claimed earlier by another application of the same family: that one keeps it.
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    }
  }
}
