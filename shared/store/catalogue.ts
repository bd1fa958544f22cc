import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CataloguePort, Saved } from '../domain/ports.ts';
import {
  AgreementRecord, PlaceCounts, ProgrammeRecord, ProviderRecord, SessionRecord,
} from '../schemas/records.ts';
import { batchGet, failedConditions, queryAll } from './dynamo.ts';
import { entities, indexKeys, keys, parse, partitions, prefixes } from './keys.ts';
import { queryPage } from './paging.ts';

// Programmes, providers, agreements, sessions and their live counts. Only storage rules live here (a
// session with bookings keeps its day); what an admin may set is the catalogue service's to decide.

type Item = Record<string, unknown>;

export class CatalogueStore implements CataloguePort {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  // ── Programmes ──
  async getProgramme(id: string): Promise<ProgrammeRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.programme(id) }));
    return out.Item && ProgrammeRecord.parse(out.Item);
  }

  async putProgramme(programme: ProgrammeRecord): Promise<Saved<ProgrammeRecord>> {
    const out = await this.db.send(new UpdateCommand({
      TableName: this.table, Key: keys.programme(programme.id), ReturnValues: 'UPDATED_OLD',
      ...setAll({ ...programme, entity: entities.programme, ...indexKeys.programme(programme) },
        ['maxDaysPerChild', 'discretionaryShare', 'retentionMonths', 'ageMin', 'ageMax', 'cardValidityMonths', 'visitsAllowed',
          'releaseAfterUnexplainedAbsences']),
    }));
    return { value: programme, created: !out.Attributes };
  }

  async listProgrammes(scheme?: string): Promise<ProgrammeRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, IndexName: 'GSI1',
      KeyConditionExpression: scheme ? 'gsi1pk = :p AND begins_with(gsi1sk, :s)' : 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': partitions.programmes, ...(scheme ? { ':s': prefixes.programmesOf(scheme) } : {}) },
    });
    return items.map((i) => ProgrammeRecord.parse(i));
  }

  // ── Providers ──
  async getProvider(id: string): Promise<ProviderRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.provider(id) }));
    return out.Item && ProviderRecord.parse(out.Item);
  }

  /** The provider a machine client acts for; a strongly consistent read of the client's claim item. */
  async findProviderByClientId(clientId: string): Promise<ProviderRecord | undefined> {
    const claim = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.clientClaim(clientId), ConsistentRead: true }));
    return typeof claim.Item?.providerId === 'string' ? this.getProvider(claim.Item.providerId) : undefined;
  }

  /**
   * Saves the provider and claims its app client id, which maps to exactly one provider; the client it had
   * before is let go. `clientTaken` if another provider holds the id; `changedMeanwhile` if the provider
   * changed between the caller's read and this write.
   */
  async putProvider(provider: ProviderRecord, before: ProviderRecord | undefined): Promise<'saved' | 'clientTaken' | 'changedMeanwhile'> {
    const released = before && before.clientId !== provider.clientId ? [{ Delete: { TableName: this.table, Key: keys.clientClaim(before.clientId) } }] : [];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [
        { Put: {
          TableName: this.table, Item: { ...keys.provider(provider.id), entity: entities.provider, ...provider },
          ConditionExpression: before ? 'clientId = :old' : 'attribute_not_exists(pk)',
          ...(before ? { ExpressionAttributeValues: { ':old': before.clientId } } : {}),
        } },
        { Put: {
          TableName: this.table, Item: { ...keys.clientClaim(provider.clientId), entity: entities.clientClaim, providerId: provider.id },
          ConditionExpression: 'attribute_not_exists(pk) OR providerId = :id', ExpressionAttributeValues: { ':id': provider.id },
        } },
        ...released,
      ] }));
      return 'saved';
    } catch (e) {
      const failed = failedConditions(e);
      if (failed?.has(1)) return 'clientTaken';
      if (failed?.has(0)) return 'changedMeanwhile';
      throw e;
    }
  }

  // ── Agreements ──
  /**
   * The agreement and a copy of it as its next version, in one transaction conditioned on the version read:
   * the history is complete and two changes at once cannot both become version n.
   */
  async putAgreement(agreement: AgreementRecord): Promise<Saved<AgreementRecord> | 'changedMeanwhile'> {
    const key = keys.agreement(agreement.programmeId, agreement.providerId);
    const before = (await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }))).Item;
    const previous = before ? AgreementRecord.parse(before).version : 0;
    const value: AgreementRecord = { ...agreement, version: previous + 1 };
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [
        { Put: {
          TableName: this.table, Item: { ...key, entity: entities.agreement, ...value },
          ConditionExpression: before ? 'version = :v OR attribute_not_exists(version)' : 'attribute_not_exists(pk)',
          ...(before ? { ExpressionAttributeValues: { ':v': previous } } : {}),
        } },
        { Put: {
          TableName: this.table, Item: { ...keys.agreementVersion(value.programmeId, value.providerId, value.version), entity: entities.agreementVersion, ...value },
          ConditionExpression: 'attribute_not_exists(pk)',
        } },
      ] }));
    } catch (e) {
      if (failedConditions(e)) return 'changedMeanwhile';
      throw e;
    }
    return { value, created: !before };
  }

  /** Every version of a programme's agreements (of one provider), oldest first. */
  async agreementVersions(programmeId: string, providerId?: string): Promise<AgreementRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':p': partitions.programme(programmeId), ':a': prefixes.agreementVersionsOf(providerId) },
    });
    return items.map((i) => AgreementRecord.parse(i));
  }

  async listAgreements(programmeId: string): Promise<AgreementRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':p': partitions.programme(programmeId), ':a': prefixes.agreement },
    });
    return items.map((i) => AgreementRecord.parse(i));
  }

  /** Several providers by id; unknown ids are absent from the map. */
  async getProviders(ids: readonly string[]): Promise<Map<string, ProviderRecord>> {
    const items = await batchGet(this.db, this.table, ids.map(keys.provider));
    return new Map(items.map((i) => { const p = ProviderRecord.parse(i); return [p.id, p]; }));
  }

  // ── Sessions ──
  /** Every session of a programme: one Query on GSI1 (paged by DynamoDB, bounded by the programme's sessions, not its bookings). */
  async programmeSessions(programmeId: string): Promise<SessionRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, IndexName: 'GSI1', KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': partitions.sessionsOfProgramme(programmeId) },
    });
    return items.map((i) => SessionRecord.parse(i));
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.session(id) }));
    return out.Item && SessionRecord.parse(out.Item);
  }

  /**
   * Saves the session and its capacity together. `belowBooked` if the capacity would drop below the places
   * taken; `hasBookings` if a session with bookings or a waitlist would change programme, provider or day
   * (bookings carry them, and a child's one session a day was checked against that day).
   */
  async putSession(session: SessionRecord, before: SessionRecord | undefined): Promise<'saved' | 'belowBooked' | 'hasBookings'> {
    const moved = before !== undefined
      && (before.programmeId !== session.programmeId || before.providerId !== session.providerId || before.date !== session.date);
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [
        { Put: { TableName: this.table, Item: { ...keys.session(session.id), entity: entities.session, ...session, ...indexKeys.session(session) } } },
        { Update: {
          TableName: this.table, Key: keys.places(session.id),
          // `capacity` is a DynamoDB reserved word, hence the name placeholder.
          UpdateExpression: 'SET #cap = :cap, booked = if_not_exists(booked, :zero), waitlisted = if_not_exists(waitlisted, :zero), '
            + 'discretionaryBooked = if_not_exists(discretionaryBooked, :zero), '
            + 'discretionaryWaitlisted = if_not_exists(discretionaryWaitlisted, :zero), entity = :e',
          ConditionExpression: moved
            ? 'attribute_not_exists(booked) OR (booked = :zero AND waitlisted = :zero)'
            : 'attribute_not_exists(booked) OR booked <= :cap',
          ExpressionAttributeNames: { '#cap': 'capacity' },
          ExpressionAttributeValues: { ':cap': session.capacity, ':zero': 0, ':e': entities.places },
        } },
      ] }));
      return 'saved';
    } catch (e) {
      if (failedConditions(e)?.has(1)) return moved ? 'hasBookings' : 'belowBooked';
      throw e;
    }
  }

  /** Live counts for the given sessions. */
  async places(sessionIds: readonly string[]): Promise<Map<string, PlaceCounts>> {
    const items = await batchGet(this.db, this.table, sessionIds.map(keys.places));
    return new Map(items.map((i) => [parse.sessionId(String(i.pk)), PlaceCounts.parse(i)]));
  }

  /** Several sessions by id; unknown ids are simply absent from the map. */
  async getSessions(ids: readonly string[]): Promise<Map<string, SessionRecord>> {
    return (await this.getSessionsWithPlaces(ids, false)).sessions;
  }

  /**
   * Sessions and, in the same BatchGet, their live counts: an eventually consistent glance that
   * lets a booking skip a transaction bound to fail. Only the transaction's conditions decide.
   */
  async getSessionsWithPlaces(ids: readonly string[], withPlaces = true) {
    const items = await batchGet(this.db, this.table, ids.flatMap((id) => (withPlaces ? [keys.session(id), keys.places(id)] : [keys.session(id)])));
    const sessions = new Map<string, SessionRecord>();
    const places = new Map<string, PlaceCounts>();
    for (const i of items) {
      const id = parse.sessionId(String(i.pk));
      if (i.entity === entities.session) sessions.set(id, SessionRecord.parse(i));
      else places.set(id, PlaceCounts.parse(i));
    }
    return { sessions, places };
  }

  /** A page of sessions: of a programme, else of a district, else all upcoming; narrowed by day, age and SEND support. */
  async listSessions(q: SessionFilter): Promise<{ items: (SessionRecord & { places?: PlaceCounts })[]; nextCursor?: string }> {
    const [index, partition] = q.programmeId
      ? (['GSI1', partitions.sessionsOfProgramme(q.programmeId)] as const)
      : q.district ? (['GSI2', partitions.sessionsInDistrict(q.district)] as const) : (['GSI4', partitions.allSessions] as const);
    const { partition: pkAttr, sort: skAttr } = { partition: `${index.toLowerCase()}pk`, sort: `${index.toLowerCase()}sk` };
    const filters: string[] = [];
    const values: Item = { ':p': partition };
    if (q.programmeId && q.district) { filters.push('venue.district = :d'); values[':d'] = q.district; }
    if (q.age !== undefined) { filters.push('ageMin <= :age AND ageMax >= :age'); values[':age'] = q.age; }
    if (q.sendSupport !== undefined) { filters.push('sendSupport = :send'); values[':send'] = q.sendSupport; }
    // A date narrows to that day; otherwise a listing across programmes starts from today.
    const range = q.date ? `begins_with(${skAttr}, :date)` : q.programmeId ? undefined : `${skAttr} >= :date`;
    if (range) values[':date'] = q.date ?? q.today;
    const page = await queryPage(this.db, {
      TableName: this.table,
      KeyConditionExpression: `${pkAttr} = :p${range ? ` AND ${range}` : ''}`,
      FilterExpression: filters.length ? filters.join(' AND ') : undefined,
      ExpressionAttributeValues: values,
    }, { limit: q.limit, cursor: q.cursor, partitionValue: partition, index });
    const records = page.items.map((i) => SessionRecord.parse(i));
    const places = await this.places(records.map((r) => r.id));
    return { items: records.map((r) => ({ ...r, places: places.get(r.id) })), nextCursor: page.nextCursor };
  }
}

export interface SessionFilter {
  programmeId?: string; district?: string; age?: number; date?: string; sendSupport?: boolean;
  limit: number; cursor?: string; today: string;
}

/** UpdateExpression that sets every attribute given and removes the optional ones left out. */
function setAll(values: Item, optional: string[] = []) {
  const names: Record<string, string> = {};
  const vals: Item = {};
  const sets: string[] = [];
  Object.entries(values).forEach(([k, v], i) => {
    if (v === undefined) return;
    names[`#a${i}`] = k; vals[`:v${i}`] = v; sets.push(`#a${i} = :v${i}`);
  });
  const removes = optional.filter((k) => values[k] === undefined).map((k, i) => { names[`#r${i}`] = k; return `#r${i}`; });
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ExpressionAttributeNames: names, ExpressionAttributeValues: vals,
  };
}
