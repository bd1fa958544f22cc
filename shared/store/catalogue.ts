import {
  GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { conflict, invalid } from '../domain/errors.ts';
import type { ProgrammeRecord } from '../domain/programmes.ts';
import type {
  Agreement, AgreementInput, ProgrammeInput, Provider, ProviderInput, Session, SessionInput,
} from '../schemas/catalogue.ts';
import { batchGet } from './batch.ts';
import { queryPage } from './paging.ts';

// Programmes, providers, agreements, sessions and eligibility codes. Key layout: docs/data-model.md.

type Item = Record<string, unknown>;
/** An item without its keys: the record as the rest of the code knows it. */
export const strip = <T>(item: Item | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, gsi4pk, gsi4sk, entity, ...rest } = item;
  return rest as T;
};

export const programmeKey = (id: string) => ({ pk: `PROGRAMME#${id}`, sk: 'PROGRAMME' });
export const providerKey = (id: string) => ({ pk: `PROVIDER#${id}`, sk: 'PROVIDER' });
export const sessionKey = (id: string) => ({ pk: `SESSION#${id}`, sk: 'SESSION' });
/** The session's live counts live on their own item, so bookings never rewrite the indexed session item. */
export const placesKey = (id: string) => ({ pk: `SESSION#${id}`, sk: 'PLACES' });
/** The session a Places item (as the stream carries it) counts for. */
export const sessionOfPlaces = (item: { pk: string }) => item.pk.slice('SESSION#'.length);
const clientKey = (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: 'CLIENT' });
/** GSI3: a provider's sessions, sorted by programme, then date and start time (`gsi3sk = <programmeId>#<date>#<start>#<id>`). */
export const providerSessionsPartition = (providerId: string) => `SESSIONS#PROVIDER#${providerId}`;
const slot = (s: { date: string; startTime: string; id: string }) => `${s.date}#${s.startTime}#${s.id}`;

export interface Places {
  capacity: number; booked: number; waitlisted: number; discretionaryBooked: number;
  /** Of those waitlisted, the referred children without FSM (who may take only a discretionary place). */
  discretionaryWaitlisted: number;
  registerSentAt?: string;
}
export interface SessionRecord extends Omit<Session, 'remaining'> {}
export type Saved<T> = { value: T; created: boolean };

export class CatalogueStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  // ── Programmes ──
  async getProgramme(id: string): Promise<ProgrammeRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: programmeKey(id) }));
    return strip(out.Item);
  }

  async putProgramme(id: string, input: ProgrammeInput, now: string): Promise<Saved<ProgrammeRecord>> {
    const value = { id, ...input, updatedAt: now };
    const out = await this.db.send(new UpdateCommand({
      TableName: this.table, Key: programmeKey(id), ReturnValues: 'UPDATED_OLD',
      ...setAll({ ...value, entity: 'Programme', gsi1pk: 'PROGRAMMES', gsi1sk: `${input.scheme}#${input.startDate}#${id}` },
        ['maxDaysPerChild', 'discretionaryShare', 'retentionMonths'], input),
    }));
    return { value, created: !out.Attributes };
  }

  async listProgrammes(scheme?: string): Promise<ProgrammeRecord[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const out = await this.db.send(new QueryCommand({
        TableName: this.table, IndexName: 'GSI1', ExclusiveStartKey,
        KeyConditionExpression: scheme ? 'gsi1pk = :p AND begins_with(gsi1sk, :s)' : 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': 'PROGRAMMES', ...(scheme ? { ':s': `${scheme}#` } : {}) },
      }));
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.map((i) => strip(i)!);
  }

  // ── Providers ──
  async getProvider(id: string): Promise<Provider | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: providerKey(id) }));
    return strip(out.Item);
  }

  /** The provider a machine client acts for; a strongly consistent read of the client's claim item. */
  async findProviderByClientId(clientId: string): Promise<Provider | undefined> {
    const claim = await this.db.send(new GetCommand({ TableName: this.table, Key: clientKey(clientId), ConsistentRead: true }));
    return typeof claim.Item?.providerId === 'string' ? this.getProvider(claim.Item.providerId) : undefined;
  }

  /** Saves the provider and claims its app client id, which maps to exactly one provider. */
  async putProvider(id: string, input: ProviderInput, now: string): Promise<Saved<Provider>> {
    const before = await this.getProvider(id);
    const clientId = input.clientId ?? before?.clientId ?? id;
    const value: Provider = { id, name: input.name, contactEmail: input.contactEmail, districts: input.districts, clientId, updatedAt: now };
    const released = before && before.clientId !== clientId ? [{ Delete: { TableName: this.table, Key: clientKey(before.clientId) } }] : [];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [
        { Put: {
          TableName: this.table,
          Item: { ...providerKey(id), entity: 'Provider', ...value },
          // Guards against a concurrent change of the same provider between our read and this write.
          ConditionExpression: before ? 'clientId = :old' : 'attribute_not_exists(pk)',
          ...(before ? { ExpressionAttributeValues: { ':old': before.clientId } } : {}),
        } },
        { Put: {
          TableName: this.table, Item: { ...clientKey(clientId), entity: 'ClientClaim', providerId: id },
          ConditionExpression: 'attribute_not_exists(pk) OR providerId = :id', ExpressionAttributeValues: { ':id': id },
        } },
        ...released,
      ] }));
    } catch (e) {
      if (isCancelled(e, 1)) throw invalid([{ path: 'clientId', message: 'is already used by another provider' }]);
      if (isCancelled(e, 0)) throw conflict('The provider changed while saving; try again.');
      throw e;
    }
    return { value, created: !before };
  }

  // ── Agreements ──
  async putAgreement(programmeId: string, providerId: string, input: AgreementInput, now: string): Promise<Saved<Agreement>> {
    await this.mustExist([['programmeId', programmeKey(programmeId)], ['providerId', providerKey(providerId)]]);
    const value = { programmeId, providerId, ...input, updatedAt: now };
    const out = await this.db.send(new UpdateCommand({
      TableName: this.table, Key: { pk: `PROGRAMME#${programmeId}`, sk: `AGREEMENT#${providerId}` }, ReturnValues: 'UPDATED_OLD',
      ...setAll({ ...value, entity: 'Agreement' }),
    }));
    return { value, created: !out.Attributes };
  }

  async listAgreements(programmeId: string): Promise<Agreement[]> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':p': `PROGRAMME#${programmeId}`, ':a': 'AGREEMENT#' },
    }));
    return (out.Items ?? []).map((i) => strip<Agreement>(i)!);
  }

  // ── Sessions ──
  async getSession(id: string): Promise<SessionRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: sessionKey(id) }));
    return strip(out.Item);
  }

  /**
   * Saves the session and its capacity together. Capacity may not drop below the places
   * already booked, and a session with bookings keeps its programme and provider.
   */
  async putSession(id: string, input: SessionInput, now: string): Promise<Saved<Session>> {
    const [programme, provider, before] = await Promise.all([
      this.getProgramme(input.programmeId), this.getProvider(input.providerId), this.getSession(id),
    ]);
    const issues = [
      ...(programme ? [] : [{ path: 'programmeId', message: 'is not a programme' }]),
      ...(provider ? [] : [{ path: 'providerId', message: 'is not a provider' }]),
      ...(programme && (input.date < programme.startDate || input.date > programme.endDate)
        ? [{ path: 'date', message: `must be within the programme (${programme.startDate} to ${programme.endDate})` }] : []),
    ];
    if (issues.length) throw invalid(issues);
    // Bookings carry the session's programme, provider and day (a child's one session a day): those stay put once booked.
    const moved = before && (before.programmeId !== input.programmeId || before.providerId !== input.providerId || before.date !== input.date);
    const record: SessionRecord = { id, ...input, updatedAt: now };
    const s = { ...record, id };
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [
        { Put: {
          TableName: this.table,
          Item: {
            ...sessionKey(id), entity: 'Session', ...record,
            gsi1pk: `SESSIONS#PROGRAMME#${input.programmeId}`, gsi1sk: slot(s),
            gsi2pk: `SESSIONS#DISTRICT#${input.venue.district}`, gsi2sk: slot(s),
            gsi3pk: providerSessionsPartition(input.providerId), gsi3sk: `${input.programmeId}#${slot(s)}`,
            gsi4pk: 'SESSIONS', gsi4sk: slot(s),
          },
        } },
        { Update: {
          TableName: this.table, Key: placesKey(id),
          // `capacity` is a DynamoDB reserved word, hence the name placeholder.
          UpdateExpression: 'SET #cap = :cap, booked = if_not_exists(booked, :zero), waitlisted = if_not_exists(waitlisted, :zero), '
            + 'discretionaryBooked = if_not_exists(discretionaryBooked, :zero), '
            + 'discretionaryWaitlisted = if_not_exists(discretionaryWaitlisted, :zero), entity = :e',
          ConditionExpression: moved
            ? 'attribute_not_exists(booked) OR (booked = :zero AND waitlisted = :zero)'
            : 'attribute_not_exists(booked) OR booked <= :cap',
          ExpressionAttributeNames: { '#cap': 'capacity' },
          ExpressionAttributeValues: { ':cap': input.capacity, ':zero': 0, ':e': 'Places' },
        } },
      ] }));
    } catch (e) {
      if (isCancelled(e, 1)) {
        throw conflict(moved
          ? 'This session has bookings, so its programme, provider and date cannot change.'
          : 'The new capacity is below the places already booked.');
      }
      throw e;
    }
    const places = await this.places([id]);
    return { value: withRemaining(record, places.get(id)), created: !before };
  }

  /** Live counts for the given sessions. */
  async places(sessionIds: readonly string[]): Promise<Map<string, Places>> {
    const items = await batchGet(this.db, this.table, sessionIds.map(placesKey));
    return new Map(items.map((i) => [String(i.pk).slice('SESSION#'.length), placesOf(i)]));
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
    const items = await batchGet(this.db, this.table, ids.flatMap((id) => (withPlaces ? [sessionKey(id), placesKey(id)] : [sessionKey(id)])));
    const sessions = new Map<string, SessionRecord>();
    const places = new Map<string, Places>();
    for (const i of items) {
      const id = String(i.pk).slice('SESSION#'.length);
      if (i.sk === 'SESSION') sessions.set(id, strip<SessionRecord>(i)!);
      else places.set(id, placesOf(i));
    }
    return { sessions, places };
  }

  async listSessions(q: SessionFilter): Promise<{ items: Session[]; nextCursor?: string }> {
    const [index, partition] = q.programmeId
      ? (['GSI1', `SESSIONS#PROGRAMME#${q.programmeId}`] as const)
      : q.district ? (['GSI2', `SESSIONS#DISTRICT#${q.district}`] as const) : (['GSI4', 'SESSIONS'] as const);
    const { partition: pkAttr, sort: skAttr } = { partition: `${index.toLowerCase()}pk`, sort: `${index.toLowerCase()}sk` };
    const filters: string[] = [];
    const values: Item = { ':p': partition };
    if (q.programmeId && q.district) { filters.push('venue.district = :d'); values[':d'] = q.district; }
    if (q.age !== undefined) { filters.push('ageMin <= :age AND ageMax >= :age'); values[':age'] = q.age; }
    if (q.sendSupport !== undefined) { filters.push('sendSupport = :send'); values[':send'] = q.sendSupport; }
    // A date narrows to that day; otherwise a listing across programmes starts from today.
    const range = q.date ? `begins_with(${skAttr}, :date)` : q.programmeId ? undefined : `${skAttr} >= :date`;
    if (range) values[':date'] = q.date ?? q.today;
    const page = await queryPage<Item>(this.db, {
      TableName: this.table,
      KeyConditionExpression: `${pkAttr} = :p${range ? ` AND ${range}` : ''}`,
      FilterExpression: filters.length ? filters.join(' AND ') : undefined,
      ExpressionAttributeValues: values,
    }, { limit: q.limit, cursor: q.cursor, partitionValue: partition, index });
    const records = page.items.map((i) => strip<SessionRecord>(i)!);
    const places = await this.places(records.map((r) => r.id));
    return { items: records.map((r) => withRemaining(r, places.get(r.id))), nextCursor: page.nextCursor };
  }

  // ── Eligibility codes ──
  /** Loads codes for a programme; a code a family has already used keeps its state. */
  async loadEligibilityCodes(load: { programmeId: string; codes: CodeToLoad[] }, now: string): Promise<{ loaded: number; unchanged: number }> {
    await this.mustExist([['programmeId', programmeKey(load.programmeId)]]);
    let loaded = 0;
    let unchanged = 0;
    const unique = [...new Map(load.codes.map((c) => [c.code, c])).values()];
    for (let i = 0; i < unique.length; i += 25) {
      await Promise.all(unique.slice(i, i + 25).map(async ({ code, outcome }) => {
        try {
          await this.db.send(new UpdateCommand({
            TableName: this.table, Key: { pk: `CODE#${code}`, sk: `PROGRAMME#${load.programmeId}` },
            UpdateExpression: 'SET outcome = :o, loadedAt = :t, entity = :e',
            ConditionExpression: 'attribute_not_exists(claimedBy)',
            ExpressionAttributeValues: { ':o': outcome, ':t': now, ':e': 'EligibilityCode' },
          }));
          loaded++;
        } catch (e) {
          if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
          unchanged++;
        }
      }));
    }
    return { loaded, unchanged };
  }

  private async mustExist(refs: [path: string, key: { pk: string; sk: string }][]) {
    const found = await Promise.all(refs.map(([, Key]) => this.db.send(new GetCommand({ TableName: this.table, Key }))));
    const missing = refs.filter((_, i) => !found[i]?.Item).map(([path]) => ({ path, message: 'does not exist' }));
    if (missing.length) throw invalid(missing);
  }
}

export interface CodeToLoad { code: string; outcome: 'eligible' | 'notEligible' | 'discretionary' }

export interface SessionFilter {
  programmeId?: string; district?: string; age?: number; date?: string; sendSupport?: boolean;
  limit: number; cursor?: string; today: string;
}

const placesOf = (i: Item): Places => ({
  capacity: Number(i.capacity), booked: Number(i.booked ?? 0), waitlisted: Number(i.waitlisted ?? 0),
  discretionaryBooked: Number(i.discretionaryBooked ?? 0), discretionaryWaitlisted: Number(i.discretionaryWaitlisted ?? 0),
  ...(typeof i.registerSentAt === 'string' ? { registerSentAt: i.registerSentAt } : {}),
});

const withRemaining = (r: SessionRecord, p: Places | undefined): Session => ({
  ...r, remaining: Math.max(0, (p?.capacity ?? r.capacity) - (p?.booked ?? 0)),
});

/** UpdateExpression that sets every attribute given and removes the optional ones left out. */
function setAll(values: Item, optional: string[] = [], input: Item = {}) {
  const names: Record<string, string> = {};
  const vals: Item = {};
  const sets: string[] = [];
  Object.entries(values).forEach(([k, v], i) => {
    if (v === undefined) return;
    names[`#a${i}`] = k; vals[`:v${i}`] = v; sets.push(`#a${i} = :v${i}`);
  });
  const removes = optional.filter((k) => input[k] === undefined).map((k, i) => { names[`#r${i}`] = k; return `#r${i}`; });
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ExpressionAttributeNames: names, ExpressionAttributeValues: vals,
  };
}

function isCancelled(e: unknown, index: number): boolean {
  const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (e as Error).name === 'TransactionCanceledException' && reasons?.[index]?.Code === 'ConditionalCheckFailed';
}
