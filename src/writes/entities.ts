// Creating and editing the things claims are about — organisations, officials, places, sources,
// incidents — and merging duplicates. Every rule is checked before anything is written, every
// write is audited (one Change row per entity changed) and runs in the caller's transaction
// (see `inTransaction` in statements.ts).
//
// Concurrency: these tables have no `version` column. An update carries the `updatedAt` the
// writer read (`expectedUpdatedAt`); the row is changed only if it still has exactly that
// timestamp (compare-and-set), otherwise the update is refused with a ConflictError. Every
// write here moves `updatedAt` strictly forward, so two writes within one millisecond still
// change the token.
//
// Merges move every reference from the duplicate to the kept entity, add the duplicate's name
// and aliases to the kept one's aliases, delete the duplicate, and record MERGE changes for
// both (with the number of references moved of each kind) and for every row whose reference
// moved. Nothing that pointed at the duplicate is lost.
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client.js';
import { MAX_ID, parseInput, plausibleDate, values, words } from './rules.js';
import { DatePrecision, IncidentKind, OrganisationKind, ParticipantRole, PlaceKind, SourceKind } from '../generated/prisma/enums.js';
import { recordChange, type Actor } from './audit.js';
import { ConflictError, InvalidInputError, NotFoundError, type InputIssue } from './errors.js';

type Tx = Prisma.TransactionClient;

export type EntityType = 'Organisation' | 'Official' | 'Place' | 'Source' | 'Incident';

export interface EntityWriteResult {
  entityType: EntityType;
  id: number;
  /** True when the entity already existed under the same externalId (or idempotency key): nothing was written. */
  replayed: boolean;
  /** The new concurrency token: send it as `expectedUpdatedAt` with the next update. */
  updatedAt: string;
}

export interface MergeResult {
  entityType: 'Organisation' | 'Official' | 'Place';
  keptId: number;
  duplicateId: number;
  /** How many references of each kind moved from the duplicate to the kept entity ("Statement.organisationId": 2). */
  moved: Record<string, number>;
  /** Names the kept entity gained as aliases (the duplicate's name and aliases it did not have yet). */
  addedAliases: string[];
  replayed: boolean;
}

// ---------------------------------------------------------------------------------------------
// Rules

const notNull = (what: string) => (issue: { input?: unknown }) =>
  issue.input === null ? 'must not be null: it is required' : `must be ${what}`;
const id = z.number({ error: notNull('an ID') }).int('must be a whole number').positive('must be a valid ID').max(MAX_ID, 'is not an ID that can exist');
const oneOf = <E extends Record<string, string>>(e: E) =>
  z.enum(values(e), { error: notNull(`one of ${Object.values(e).join(', ')}`) });
const date = z.date({ error: notNull('a date') }).pipe(plausibleDate);
const aliasList = z.array(words(200), { error: notNull('a list of names') }).max(50, 'must hold at most 50 names');
const externalId = words(200).optional();
const httpUrl = z
  .string({ error: 'must be text' })
  .trim()
  .max(2_000, 'must be at most 2000 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an absolute http:// or https:// address');

const organisationFields = {
  name: words(500),
  aliases: aliasList,
  kind: oneOf(OrganisationKind),
  countryId: id.nullish(),
  parentId: id.nullish(),
  description: words(2_000).nullish(),
  notes: words(2_000).nullish(),
};

const roleInput = z.object({
  title: words(300),
  organisationId: id.nullish(),
  placeId: id.nullish(),
  startedOn: date.nullish(),
  endedOn: date.nullish(),
});

const officialFields = {
  name: words(300).nullish(),
  description: words(1_000).nullish(),
  aliases: aliasList,
  roles: z.array(roleInput, { error: notNull('a list of roles') }).max(50, 'must hold at most 50 roles'),
};

const latitude = z.number({ error: 'must be a number' }).min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90');
const longitude = z.number({ error: 'must be a number' }).min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180');

const placeFields = {
  name: words(300),
  aliases: aliasList,
  kind: oneOf(PlaceKind),
  parentId: id.nullish(),
  latitude: latitude.nullish(),
  longitude: longitude.nullish(),
  description: words(2_000).nullish(),
};

const sourceFields = {
  title: words(1_000).nullish(),
  description: words(1_000),
  kind: oneOf(SourceKind),
  publisherId: id.nullish(),
  byline: words(500).nullish(),
  url: httpUrl.nullish(),
  publishedAt: date.nullish(),
};

const participantInput = z.object({
  role: oneOf(ParticipantRole),
  organisationId: id.nullish(),
  officialId: id.nullish(),
  description: words(500),
  basisId: id.nullish(),
});

const incidentFields = {
  title: words(500),
  kind: oneOf(IncidentKind),
  description: words(10_000).nullish(),
  startedAt: date.nullish(),
  endedAt: date.nullish(),
  datePrecision: oneOf(DatePrecision),
  parentId: id.nullish(),
  placeIds: z.array(id, { error: notNull('a list of place IDs') }).max(100, 'must hold at most 100 places'),
  participants: z.array(participantInput, { error: notNull('a list of participants') }).max(100, 'must hold at most 100 participants'),
};

const updateHeader = { id, expectedUpdatedAt: date };

const schemas = {
  createOrganisation: z.object({ externalId, ...organisationFields, aliases: aliasList.default([]) }),
  updateOrganisation: z.object({ ...updateHeader, ...organisationFields }).partial().required({ id: true, expectedUpdatedAt: true }),
  createOfficial: z.object({ externalId, ...officialFields, aliases: aliasList.default([]), roles: officialFields.roles.default([]) }),
  updateOfficial: z.object({ ...updateHeader, ...officialFields }).partial().required({ id: true, expectedUpdatedAt: true }),
  createPlace: z.object({ externalId, ...placeFields, aliases: aliasList.default([]) }),
  updatePlace: z.object({ ...updateHeader, ...placeFields }).partial().required({ id: true, expectedUpdatedAt: true }),
  createSource: z.object({ externalId, ...sourceFields }),
  updateSource: z.object({ ...updateHeader, ...sourceFields }).partial().required({ id: true, expectedUpdatedAt: true }),
  createIncident: z.object({
    externalId,
    ...incidentFields,
    datePrecision: incidentFields.datePrecision.default('DAY'),
    placeIds: incidentFields.placeIds.default([]),
    participants: incidentFields.participants.default([]),
  }),
  updateIncident: z.object({ ...updateHeader, ...incidentFields }).partial().required({ id: true, expectedUpdatedAt: true }),
};

export type CreateOrganisationInput = z.input<typeof schemas.createOrganisation>;
export type UpdateOrganisationInput = z.input<typeof schemas.updateOrganisation>;
export type CreateOfficialInput = z.input<typeof schemas.createOfficial>;
export type UpdateOfficialInput = z.input<typeof schemas.updateOfficial>;
export type CreatePlaceInput = z.input<typeof schemas.createPlace>;
export type UpdatePlaceInput = z.input<typeof schemas.updatePlace>;
export type CreateSourceInput = z.input<typeof schemas.createSource>;
export type UpdateSourceInput = z.input<typeof schemas.updateSource>;
export type CreateIncidentInput = z.input<typeof schemas.createIncident>;
export type UpdateIncidentInput = z.input<typeof schemas.updateIncident>;

/** Rules across fields, checked on the entity as it will be after the write. */
function refuseIf(issues: (InputIssue | false | null | undefined)[]) {
  const broken = issues.filter((issue): issue is InputIssue => !!issue);
  if (broken.length > 0) throw new InvalidInputError(broken);
}

/** Aliases trimmed and deduplicated ignoring case (the first spelling wins), without the name itself. */
function cleanAliases(aliases: readonly string[], name: string | null | undefined): string[] {
  const seen = new Set<string>(name ? [name.trim().toLowerCase()] : []);
  const out: string[] = [];
  for (const alias of aliases) {
    const key = alias.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(alias.trim());
  }
  return out;
}

/** Fields present in an update (undefined means "leave as it is"; null means "clear"). */
function given<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** A timestamp strictly after the one being replaced: the concurrency token always changes. */
function nextUpdatedAt(previous: Date): Date {
  return new Date(Math.max(Date.now(), previous.getTime() + 1));
}

// ---------------------------------------------------------------------------------------------
// References and trees

type Referenced = 'Organisation' | 'Official' | 'Place' | 'Statement' | 'Incident';
interface Wanted {
  field: string;
  entityType: Referenced;
  id: number | null | undefined;
}

/** Every id the input names exists, as the type the field expects. One query per type. */
async function checkReferences(tx: Tx, wanted: Wanted[]) {
  const find: Record<Referenced, (ids: number[]) => Promise<{ id: number }[]>> = {
    Organisation: (ids) => tx.organisation.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    Official: (ids) => tx.official.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    Place: (ids) => tx.place.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    Statement: (ids) => tx.statement.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    Incident: (ids) => tx.incident.findMany({ where: { id: { in: ids } }, select: { id: true } }),
  };
  const present = wanted.filter((w): w is Wanted & { id: number } => w.id != null);
  for (const entityType of Object.keys(find) as Referenced[]) {
    const ids = [...new Set(present.filter((w) => w.entityType === entityType).map((w) => w.id))];
    if (ids.length === 0) continue;
    const found = new Set((await find[entityType](ids)).map((row) => row.id));
    const missing = present.find((w) => w.entityType === entityType && !found.has(w.id));
    if (missing) throw new NotFoundError(missing.field, missing.entityType, missing.id);
  }
}

const TREES = {
  Organisation: Prisma.raw('"Organisation"'),
  Place: Prisma.raw('"Place"'),
  Incident: Prisma.raw('"Incident"'),
} as const;
type Tree = keyof typeof TREES;

/** Whether `candidate` is `root` or lies anywhere below it. One recursive query. */
async function isInSubtree(tx: Tx, tree: Tree, root: number, candidate: number): Promise<boolean> {
  if (root === candidate) return true;
  const table = TREES[tree];
  const rows = await tx.$queryRaw<{ found: boolean }[]>`
    WITH RECURSIVE subtree(id) AS (
      SELECT id FROM ${table} WHERE id = ${root}
      UNION
      SELECT child.id FROM ${table} child JOIN subtree ON child."parentId" = subtree.id
    )
    SELECT EXISTS (SELECT 1 FROM subtree WHERE id = ${candidate}) AS found`;
  return rows[0]?.found === true;
}

/** Refuses a parent that is the entity itself or lies below it. */
async function refuseParentCycle(tx: Tx, tree: Tree, entityId: number, parentId: number | null | undefined) {
  if (parentId == null) return;
  if (await isInSubtree(tx, tree, entityId, parentId)) {
    const what = tree === 'Incident' ? 'a part' : 'inside';
    throw new InvalidInputError([
      {
        field: 'parent',
        rule:
          parentId === entityId
            ? `must not be the ${tree.toLowerCase()} itself`
            : `must not be ${what} of this ${tree.toLowerCase()} (${tree} ${parentId} lies below it): the tree would become a cycle`,
      },
    ]);
  }
}

/** Loads the row an update is about and checks the writer read its current state. */
async function claimForUpdate<Row extends { updatedAt: Date }>(
  entityType: EntityType,
  entityId: number,
  expected: Date,
  load: () => Promise<Row | null>,
): Promise<Row> {
  const row = await load();
  if (!row) throw new NotFoundError('id', entityType, entityId);
  if (row.updatedAt.getTime() !== expected.getTime()) {
    throw new ConflictError(
      'expectedUpdatedAt',
      `${entityType} ${entityId} was changed at ${row.updatedAt.toISOString()}, after the state you read (${expected.toISOString()}): re-read it and try again`,
    );
  }
  return row;
}

/** Compare-and-set: the update happens only if nobody changed the row since it was read. */
function lostRace(entityType: EntityType, entityId: number, expected: Date): never {
  throw new ConflictError('expectedUpdatedAt', `${entityType} ${entityId} was changed by someone else after ${expected.toISOString()}: re-read it and try again`);
}

const done = (entityType: EntityType, row: { id: number; updatedAt: Date }, replayed = false): EntityWriteResult => ({
  entityType,
  id: row.id,
  replayed,
  updatedAt: row.updatedAt.toISOString(),
});

// ---------------------------------------------------------------------------------------------
// Organisations

async function checkCountry(tx: Tx, countryId: number | null | undefined) {
  if (countryId == null) return;
  const place = await tx.place.findUnique({ where: { id: countryId }, select: { kind: true } });
  if (!place) throw new NotFoundError('country', 'Place', countryId);
  if (place.kind !== 'COUNTRY') throw new InvalidInputError([{ field: 'country', rule: `must be a place of kind COUNTRY (Place ${countryId} is a ${place.kind})` }]);
}

export async function createOrganisation(tx: Tx, actor: Actor, raw: unknown): Promise<EntityWriteResult> {
  const input = parseInput(schemas.createOrganisation, raw);
  if (input.externalId) {
    const existing = await tx.organisation.findUnique({ where: { externalId: input.externalId } });
    if (existing) return done('Organisation', existing, true);
  }
  await checkReferences(tx, [{ field: 'parent', entityType: 'Organisation', id: input.parentId }]);
  await checkCountry(tx, input.countryId);
  const created = await tx.organisation.create({
    data: { ...input, aliases: cleanAliases(input.aliases, input.name) },
  });
  await recordChange(tx, actor, { operation: 'CREATE', entityType: 'Organisation', entityId: created.id, after: created });
  return done('Organisation', created);
}

export async function updateOrganisation(tx: Tx, actor: Actor, raw: unknown): Promise<EntityWriteResult> {
  const { id: entityId, expectedUpdatedAt, ...changes } = parseInput(schemas.updateOrganisation, raw);
  const before = await claimForUpdate('Organisation', entityId, expectedUpdatedAt, () => tx.organisation.findUnique({ where: { id: entityId } }));
  const data = given(changes);
  await checkReferences(tx, [{ field: 'parent', entityType: 'Organisation', id: data.parentId }]);
  await checkCountry(tx, data.countryId);
  await refuseParentCycle(tx, 'Organisation', entityId, data.parentId);
  if (data.aliases || data.name) data.aliases = cleanAliases(data.aliases ?? before.aliases, data.name ?? before.name);
  const { count } = await tx.organisation.updateMany({
    where: { id: entityId, updatedAt: expectedUpdatedAt },
    data: { ...data, updatedAt: nextUpdatedAt(before.updatedAt) },
  });
  if (count === 0) lostRace('Organisation', entityId, expectedUpdatedAt);
  const after = await tx.organisation.findUniqueOrThrow({ where: { id: entityId } });
  await recordChange(tx, actor, { operation: 'UPDATE', entityType: 'Organisation', entityId, before, after });
  return done('Organisation', after);
}

// ---------------------------------------------------------------------------------------------
// Officials

type RoleInput = z.output<typeof roleInput>;

function roleRules(roles: RoleInput[] | undefined): (InputIssue | false)[] {
  return (roles ?? []).map(
    (role, n) =>
      !!role.startedOn && !!role.endedOn && role.endedOn < role.startedOn && { field: `roles[${n}].endedOn`, rule: 'must not be before startedOn' },
  );
}

function roleReferences(roles: RoleInput[] | undefined): Wanted[] {
  return (roles ?? []).flatMap((role, n) => [
    { field: `roles[${n}].organisation`, entityType: 'Organisation' as const, id: role.organisationId },
    { field: `roles[${n}].place`, entityType: 'Place' as const, id: role.placeId },
  ]);
}

const officialWithRoles = { roles: { orderBy: { id: 'asc' } } } as const;

export async function createOfficial(tx: Tx, actor: Actor, raw: unknown): Promise<EntityWriteResult> {
  const input = parseInput(schemas.createOfficial, raw);
  refuseIf([
    !input.name && !input.description && { field: 'name', rule: 'give a name or, when the reporting names no one, a description ("a senior police officer")' },
    ...roleRules(input.roles),
  ]);
  if (input.externalId) {
    const existing = await tx.official.findUnique({ where: { externalId: input.externalId } });
    if (existing) return done('Official', existing, true);
  }
  await checkReferences(tx, roleReferences(input.roles));
  const { roles, ...fields } = input;
  const created = await tx.official.create({
    data: { ...fields, aliases: cleanAliases(input.aliases, input.name), roles: { create: roles } },
    include: officialWithRoles,
  });
  await recordChange(tx, actor, { operation: 'CREATE', entityType: 'Official', entityId: created.id, after: created });
  return done('Official', created);
}

export async function updateOfficial(tx: Tx, actor: Actor, raw: unknown): Promise<EntityWriteResult> {
  const { id: entityId, expectedUpdatedAt, ...changes } = parseInput(schemas.updateOfficial, raw);
  const before = await claimForUpdate('Official', entityId, expectedUpdatedAt, () =>
    tx.official.findUnique({ where: { id: entityId }, include: officialWithRoles }),
  );
  const { roles, ...data } = given(changes);
  const name = data.name === undefined ? before.name : data.name;
  const description = data.description === undefined ? before.description : data.description;
  refuseIf([
    !name && !description && { field: data.name === null ? 'name' : 'description', rule: 'an official needs a name or a description: both cannot be empty' },
    ...roleRules(roles),
  ]);
  await checkReferences(tx, roleReferences(roles));
  if (data.aliases || data.name) data.aliases = cleanAliases(data.aliases ?? before.aliases, name);
  const { count } = await tx.official.updateMany({
    where: { id: entityId, updatedAt: expectedUpdatedAt },
    data: { ...data, updatedAt: nextUpdatedAt(before.updatedAt) },
  });
  if (count === 0) lostRace('Official', entityId, expectedUpdatedAt);
  // A list given replaces the roles; roles are part of the official and referenced by nothing else.
  if (roles) {
    await tx.officialRole.deleteMany({ where: { officialId: entityId } });
    await tx.officialRole.createMany({ data: roles.map((role) => ({ ...role, officialId: entityId })) });
  }
  const after = await tx.official.findUniqueOrThrow({ where: { id: entityId }, include: officialWithRoles });
  await recordChange(tx, actor, { operation: 'UPDATE', entityType: 'Official', entityId, before, after });
  return done('Official', after);
}

// ---------------------------------------------------------------------------------------------
// Places

function coordinateRules(latitude: number | null | undefined, longitude: number | null | undefined): (InputIssue | false)[] {
  return [
    latitude != null && longitude == null && { field: 'longitude', rule: 'must be given together with latitude' },
    longitude != null && latitude == null && { field: 'latitude', rule: 'must be given together with longitude' },
  ];
}

export async function createPlace(tx: Tx, actor: Actor, raw: unknown): Promise<EntityWriteResult> {
  const input = parseInput(schemas.createPlace, raw);
  refuseIf(coordinateRules(input.latitude, input.longitude));
  if (input.externalId) {
    const existing = await tx.place.findUnique({ where: { externalId: input.externalId } });
    if (existing) return done('Place', existing, true);
  }
  await checkReferences(tx, [{ field: 'parent', entityType: 'Place', id: input.parentId }]);
  const created = await tx.place.create({ data: { ...input, aliases: cleanAliases(input.aliases, input.name) } });
  await recordChange(tx, actor, { operation: 'CREATE', entityType: 'Place', entityId: created.id, after: created });
  return done('Place', created);
}

export async function updatePlace(tx: Tx, actor: Actor, raw: unknown): Promise<EntityWriteResult> {
  const { id: entityId, expectedUpdatedAt, ...changes } = parseInput(schemas.updatePlace, raw);
  const before = await claimForUpdate('Place', entityId, expectedUpdatedAt, () => tx.place.findUnique({ where: { id: entityId } }));
  const data = given(changes);
  refuseIf(
    coordinateRules(
      data.latitude === undefined ? before.latitude : data.latitude,
      data.longitude === undefined ? before.longitude : data.longitude,
    ),
  );
  await checkReferences(tx, [{ field: 'parent', entityType: 'Place', id: data.parentId }]);
  await refuseParentCycle(tx, 'Place', entityId, data.parentId);
  if (data.aliases || data.name) data.aliases = cleanAliases(data.aliases ?? before.aliases, data.name ?? before.name);
  const { count } = await tx.place.updateMany({
    where: { id: entityId, updatedAt: expectedUpdatedAt },
    data: { ...data, updatedAt: nextUpdatedAt(before.updatedAt) },
  });
  if (count === 0) lostRace('Place', entityId, expectedUpdatedAt);
  const after = await tx.place.findUniqueOrThrow({ where: { id: entityId } });
  await recordChange(tx, actor, { operation: 'UPDATE', entityType: 'Place', entityId, before, after });
  return done('Place', after);
}

// ---------------------------------------------------------------------------------------------
// Sources

export async function createSource(tx: Tx, actor: Actor, raw: unknown): Promise<EntityWriteResult> {
  const input = parseInput(schemas.createSource, raw);
  if (input.externalId) {
    const existing = await tx.source.findUnique({ where: { externalId: input.externalId } });
    if (existing) return done('Source', existing, true);
  }
  await checkReferences(tx, [{ field: 'publisher', entityType: 'Organisation', id: input.publisherId }]);
  const created = await tx.source.create({ data: input });
  await recordChange(tx, actor, { operation: 'CREATE', entityType: 'Source', entityId: created.id, after: created });
  return done('Source', created);
}

export async function updateSource(tx: Tx, actor: Actor, raw: unknown): Promise<EntityWriteResult> {
  const { id: entityId, expectedUpdatedAt, ...changes } = parseInput(schemas.updateSource, raw);
  const before = await claimForUpdate('Source', entityId, expectedUpdatedAt, () => tx.source.findUnique({ where: { id: entityId } }));
  const data = given(changes);
  await checkReferences(tx, [{ field: 'publisher', entityType: 'Organisation', id: data.publisherId }]);
  const { count } = await tx.source.updateMany({
    where: { id: entityId, updatedAt: expectedUpdatedAt },
    data: { ...data, updatedAt: nextUpdatedAt(before.updatedAt) },
  });
  if (count === 0) lostRace('Source', entityId, expectedUpdatedAt);
  const after = await tx.source.findUniqueOrThrow({ where: { id: entityId } });
  await recordChange(tx, actor, { operation: 'UPDATE', entityType: 'Source', entityId, before, after });
  return done('Source', after);
}

// ---------------------------------------------------------------------------------------------
// Incidents

type ParticipantInput = z.output<typeof participantInput>;

function participantRules(participants: ParticipantInput[] | undefined): (InputIssue | false)[] {
  return (participants ?? []).map(
    (p, n) =>
      !!p.organisationId && !!p.officialId && { field: `participants[${n}].official`, rule: 'give an organisation or an official, not both (add two participants)' },
  );
}

function incidentReferences(input: { parentId?: number | null; placeIds?: number[]; participants?: ParticipantInput[] }): Wanted[] {
  return [
    { field: 'parent', entityType: 'Incident', id: input.parentId },
    ...(input.placeIds ?? []).map((placeId, n) => ({ field: `places[${n}]`, entityType: 'Place' as const, id: placeId })),
    ...(input.participants ?? []).flatMap((p, n) => [
      { field: `participants[${n}].organisation`, entityType: 'Organisation' as const, id: p.organisationId },
      { field: `participants[${n}].official`, entityType: 'Official' as const, id: p.officialId },
      { field: `participants[${n}].basis`, entityType: 'Statement' as const, id: p.basisId },
    ]),
  ];
}

function dateRules(startedAt: Date | null | undefined, endedAt: Date | null | undefined, field: 'startedAt' | 'endedAt'): (InputIssue | false)[] {
  return [
    !!startedAt && !!endedAt && endedAt < startedAt &&
      { field, rule: `endedAt (${endedAt.toISOString()}) must not be before startedAt (${startedAt.toISOString()})` },
  ];
}

const incidentWithLinks = { places: { orderBy: { placeId: 'asc' } }, participants: { orderBy: { id: 'asc' } } } as const;

export async function createIncident(tx: Tx, actor: Actor, raw: unknown): Promise<EntityWriteResult> {
  const input = parseInput(schemas.createIncident, raw);
  refuseIf([...dateRules(input.startedAt, input.endedAt, 'endedAt'), ...participantRules(input.participants)]);
  if (input.externalId) {
    const existing = await tx.incident.findUnique({ where: { externalId: input.externalId } });
    if (existing) return done('Incident', existing, true);
  }
  await checkReferences(tx, incidentReferences(input));
  const { placeIds, participants, ...fields } = input;
  const created = await tx.incident.create({
    data: {
      ...fields,
      places: { create: [...new Set(placeIds)].map((placeId) => ({ placeId })) },
      participants: { create: participants },
    },
    include: incidentWithLinks,
  });
  await recordChange(tx, actor, { operation: 'CREATE', entityType: 'Incident', entityId: created.id, after: created });
  return done('Incident', created);
}

export async function updateIncident(tx: Tx, actor: Actor, raw: unknown): Promise<EntityWriteResult> {
  const { id: entityId, expectedUpdatedAt, ...changes } = parseInput(schemas.updateIncident, raw);
  const before = await claimForUpdate('Incident', entityId, expectedUpdatedAt, () =>
    tx.incident.findUnique({ where: { id: entityId }, include: incidentWithLinks }),
  );
  const { placeIds, participants, ...data } = given(changes);
  refuseIf([
    ...dateRules(
      data.startedAt === undefined ? before.startedAt : data.startedAt,
      data.endedAt === undefined ? before.endedAt : data.endedAt,
      data.endedAt !== undefined ? 'endedAt' : 'startedAt',
    ),
    ...participantRules(participants),
  ]);
  await checkReferences(tx, incidentReferences({ parentId: data.parentId, placeIds, participants }));
  await refuseParentCycle(tx, 'Incident', entityId, data.parentId);
  const { count } = await tx.incident.updateMany({
    where: { id: entityId, updatedAt: expectedUpdatedAt },
    data: { ...data, updatedAt: nextUpdatedAt(before.updatedAt) },
  });
  if (count === 0) lostRace('Incident', entityId, expectedUpdatedAt);
  // A list given replaces the places (or participants): they belong to the incident.
  if (placeIds) {
    await tx.incidentPlace.deleteMany({ where: { incidentId: entityId } });
    await tx.incidentPlace.createMany({ data: [...new Set(placeIds)].map((placeId) => ({ incidentId: entityId, placeId })) });
  }
  if (participants) {
    await tx.incidentParticipant.deleteMany({ where: { incidentId: entityId } });
    await tx.incidentParticipant.createMany({ data: participants.map((p) => ({ ...p, incidentId: entityId })) });
  }
  const after = await tx.incident.findUniqueOrThrow({ where: { id: entityId }, include: incidentWithLinks });
  await recordChange(tx, actor, { operation: 'UPDATE', entityType: 'Incident', entityId, before, after });
  return done('Incident', after);
}

// ---------------------------------------------------------------------------------------------
// Merging duplicates

/**
 * A column that refers to the entity being merged. `owner` is the entity a moved reference
 * changes (a statement for its claimant, an incident for its participants), which gets its own
 * MERGE change row and a new `updatedAt`; null when the owner is the merged entity itself.
 */
interface Reference {
  table: string;
  column: string;
  owner: { entityType: string; idColumn: string; table: string } | null;
  /** The rows form a composite primary key with this column: move by insert-if-absent + delete. */
  compositeKey?: { otherColumn: string };
}

const self = (entityType: string) => ({ entityType, idColumn: 'id', table: entityType });

const REFERENCES: Record<MergeResult['entityType'], Reference[]> = {
  Organisation: [
    { table: 'Statement', column: 'organisationId', owner: self('Statement') },
    { table: 'Statement', column: 'verifiedById', owner: self('Statement') },
    { table: 'Figure', column: 'countedOrganisationId', owner: self('Figure') },
    { table: 'Source', column: 'publisherId', owner: self('Source') },
    { table: 'Organisation', column: 'parentId', owner: self('Organisation') },
    { table: 'OfficialRole', column: 'organisationId', owner: { entityType: 'Official', idColumn: 'officialId', table: 'Official' } },
    { table: 'IncidentParticipant', column: 'organisationId', owner: { entityType: 'Incident', idColumn: 'incidentId', table: 'Incident' } },
  ],
  Official: [
    { table: 'Statement', column: 'officialId', owner: self('Statement') },
    { table: 'OfficialRole', column: 'officialId', owner: null },
    { table: 'IncidentParticipant', column: 'officialId', owner: { entityType: 'Incident', idColumn: 'incidentId', table: 'Incident' } },
  ],
  Place: [
    { table: 'Place', column: 'parentId', owner: self('Place') },
    { table: 'Organisation', column: 'countryId', owner: self('Organisation') },
    { table: 'Figure', column: 'placeId', owner: self('Figure') },
    { table: 'OfficialRole', column: 'placeId', owner: { entityType: 'Official', idColumn: 'officialId', table: 'Official' } },
    {
      table: 'IncidentPlace',
      column: 'placeId',
      owner: { entityType: 'Incident', idColumn: 'incidentId', table: 'Incident' },
      compositeKey: { otherColumn: 'incidentId' },
    },
  ],
};

/** Tables with an `updatedAt` column (the concurrency token of entity updates). */
const HAS_UPDATED_AT = new Set(['Statement', 'Figure', 'Source', 'Organisation', 'Official', 'Place', 'Incident']);
const ident = (name: string) => Prisma.raw(`"${name}"`); // names come from the constant table above only
const nowUtc = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

/** Moves one kind of reference from `from` to `to`, auditing every owner it changes. Returns how many moved. */
async function moveReference(tx: Tx, actor: Actor, ref: Reference, from: number, to: number): Promise<number> {
  const table = ident(ref.table);
  const column = ident(ref.column);
  const label = `${ref.table}.${ref.column}`;
  if (ref.owner) {
    // One change row per owner row the move touches, before anything moves.
    await tx.$executeRaw`
      INSERT INTO "Change" ("apiKeyId", "operation", "entityType", "entityId", "before", "after")
      SELECT ${actor.apiKeyId}::int, 'MERGE', ${ref.owner.entityType}::text, ${ident(ref.owner.idColumn)},
             jsonb_build_object('reference', ${label}::text, ${ref.column}::text, ${from}::int),
             jsonb_build_object('reference', ${label}::text, ${ref.column}::text, ${to}::int)
      FROM ${table} WHERE ${column} = ${from}`;
    if (ref.owner.table !== ref.table && HAS_UPDATED_AT.has(ref.owner.table)) {
      await tx.$executeRaw`
        UPDATE ${ident(ref.owner.table)} SET "updatedAt" = ${nowUtc}
        WHERE id IN (SELECT ${ident(ref.owner.idColumn)} FROM ${table} WHERE ${column} = ${from})`;
    }
  }
  if (ref.compositeKey) {
    // (incident, duplicate) becomes (incident, kept) unless that row is already there: no key is violated.
    const other = ident(ref.compositeKey.otherColumn);
    await tx.$executeRaw`
      INSERT INTO ${table} (${other}, ${column})
      SELECT ${other}, ${to}::int FROM ${table} WHERE ${column} = ${from}
      ON CONFLICT DO NOTHING`;
    return tx.$executeRaw`DELETE FROM ${table} WHERE ${column} = ${from}`;
  }
  const touch = HAS_UPDATED_AT.has(ref.table) ? Prisma.sql`, "updatedAt" = ${nowUtc}` : Prisma.empty;
  return tx.$executeRaw`UPDATE ${table} SET ${column} = ${to}::int ${touch} WHERE ${column} = ${from}`;
}

async function moveAll(tx: Tx, actor: Actor, entityType: MergeResult['entityType'], from: number, to: number) {
  const moved: Record<string, number> = {};
  for (const ref of REFERENCES[entityType]) moved[`${ref.table}.${ref.column}`] = await moveReference(tx, actor, ref, from, to);
  return moved;
}

/** Refuses self-merges; loads and locks both rows (so a concurrent write waits for the merge). */
async function claimPair<Row>(
  tx: Tx,
  entityType: MergeResult['entityType'],
  keepId: number,
  duplicateId: number,
  load: (entityId: number) => Promise<Row | null>,
): Promise<[Row, Row]> {
  refuseIf([
    (!Number.isSafeInteger(keepId) || keepId < 1) && { field: 'keep', rule: 'must be a valid ID' },
    (!Number.isSafeInteger(duplicateId) || duplicateId < 1) && { field: 'duplicate', rule: 'must be a valid ID' },
    keepId === duplicateId && { field: 'duplicate', rule: `must be another ${entityType.toLowerCase()} than keep: an entity cannot be merged into itself` },
  ]);
  await tx.$queryRaw`SELECT id FROM ${ident(entityType)} WHERE id IN (${keepId}::int, ${duplicateId}::int) ORDER BY id FOR UPDATE`;
  const keep = await load(keepId);
  if (!keep) throw new NotFoundError('keep', entityType, keepId);
  const duplicate = await load(duplicateId);
  if (!duplicate) throw new NotFoundError('duplicate', entityType, duplicateId);
  return [keep, duplicate];
}

async function refuseMergeIntoDescendant(tx: Tx, tree: 'Organisation' | 'Place', keepId: number, duplicateId: number) {
  if (await isInSubtree(tx, tree, duplicateId, keepId)) {
    throw new InvalidInputError([
      {
        field: 'keep',
        rule: `must not lie inside the duplicate (${tree} ${keepId} is below ${tree} ${duplicateId}): the duplicate's children would become their own ancestors`,
      },
    ]);
  }
}

/** A parent the kept entity may adopt from the duplicate, when it has none: not itself or below itself. */
async function adoptableParent(tx: Tx, tree: 'Organisation' | 'Place', keepId: number, parentId: number | null): Promise<number | null> {
  if (parentId == null) return null;
  return (await isInSubtree(tx, tree, keepId, parentId)) ? null : parentId;
}

async function recordMerge(
  tx: Tx,
  actor: Actor,
  entityType: MergeResult['entityType'],
  keep: { before: object; after: { id: number } },
  duplicate: { before: { id: number } },
  moved: Record<string, number>,
  addedAliases: string[],
): Promise<MergeResult> {
  const merge = { keptId: keep.after.id, duplicateId: duplicate.before.id, moved, addedAliases };
  await recordChange(tx, actor, { operation: 'MERGE', entityType, entityId: keep.after.id, before: keep.before, after: { ...keep.after, merge } });
  await recordChange(tx, actor, { operation: 'MERGE', entityType, entityId: duplicate.before.id, before: duplicate.before, after: { deleted: true, merge } });
  return { entityType, ...merge, replayed: false };
}

function mergedAliases(keep: { name: string | null; aliases: string[] }, duplicate: { name: string | null; aliases: string[] }, keptName: string | null) {
  const aliases = cleanAliases([...keep.aliases, ...(duplicate.name ? [duplicate.name] : []), ...duplicate.aliases], keptName);
  const had = new Set([...keep.aliases, ...(keep.name ? [keep.name] : [])].map((a) => a.trim().toLowerCase()));
  return { aliases, added: aliases.filter((a) => !had.has(a.toLowerCase())) };
}

/** Merges a duplicate organisation into the one kept. One transaction: the caller's. */
export async function mergeOrganisations(tx: Tx, actor: Actor, target: { keepId: number; duplicateId: number }): Promise<MergeResult> {
  const { keepId, duplicateId } = target;
  const [keep, duplicate] = await claimPair(tx, 'Organisation', keepId, duplicateId, (entityId) => tx.organisation.findUnique({ where: { id: entityId } }));
  await refuseMergeIntoDescendant(tx, 'Organisation', keepId, duplicateId);
  const moved = await moveAll(tx, actor, 'Organisation', duplicateId, keepId);
  const { aliases, added } = mergedAliases(keep, duplicate, keep.name);
  const current = await tx.organisation.findUniqueOrThrow({ where: { id: keepId } });
  const after = await tx.organisation.update({
    where: { id: keepId },
    data: {
      aliases,
      // What only the duplicate knew is kept: the kept entity's own values win.
      countryId: keep.countryId ?? duplicate.countryId,
      parentId: current.parentId ?? (await adoptableParent(tx, 'Organisation', keepId, duplicate.parentId)),
      description: keep.description ?? duplicate.description,
      notes: keep.notes ?? duplicate.notes,
      updatedAt: nextUpdatedAt(current.updatedAt),
    },
  });
  await tx.organisation.delete({ where: { id: duplicateId } });
  return recordMerge(tx, actor, 'Organisation', { before: keep, after }, { before: duplicate }, moved, added);
}

/** Merges a duplicate official into the one kept (its statements, roles and participations move). */
export async function mergeOfficials(tx: Tx, actor: Actor, target: { keepId: number; duplicateId: number }): Promise<MergeResult> {
  const { keepId, duplicateId } = target;
  const load = (entityId: number) => tx.official.findUnique({ where: { id: entityId }, include: officialWithRoles });
  const [keep, duplicate] = await claimPair(tx, 'Official', keepId, duplicateId, load);
  const moved = await moveAll(tx, actor, 'Official', duplicateId, keepId);
  const name = keep.name ?? duplicate.name;
  const { aliases, added } = mergedAliases(keep, duplicate, name);
  await tx.official.update({
    where: { id: keepId },
    data: { name, description: keep.description ?? duplicate.description, aliases, updatedAt: nextUpdatedAt(keep.updatedAt) },
  });
  await tx.official.delete({ where: { id: duplicateId } });
  const after = (await load(keepId))!;
  return recordMerge(tx, actor, 'Official', { before: keep, after }, { before: duplicate }, moved, added);
}

/** Merges a duplicate place into the one kept (children, incidents, figures, roles, organisations move). */
export async function mergePlaces(tx: Tx, actor: Actor, target: { keepId: number; duplicateId: number }): Promise<MergeResult> {
  const { keepId, duplicateId } = target;
  const [keep, duplicate] = await claimPair(tx, 'Place', keepId, duplicateId, (entityId) => tx.place.findUnique({ where: { id: entityId } }));
  await refuseMergeIntoDescendant(tx, 'Place', keepId, duplicateId);
  const moved = await moveAll(tx, actor, 'Place', duplicateId, keepId);
  const { aliases, added } = mergedAliases(keep, duplicate, keep.name);
  const current = await tx.place.findUniqueOrThrow({ where: { id: keepId } });
  const coordinates = keep.latitude != null ? {} : { latitude: duplicate.latitude, longitude: duplicate.longitude };
  const after = await tx.place.update({
    where: { id: keepId },
    data: {
      aliases,
      ...coordinates,
      parentId: current.parentId ?? (await adoptableParent(tx, 'Place', keepId, duplicate.parentId)),
      description: keep.description ?? duplicate.description,
      updatedAt: nextUpdatedAt(current.updatedAt),
    },
  });
  await tx.place.delete({ where: { id: duplicateId } });
  return recordMerge(tx, actor, 'Place', { before: keep, after }, { before: duplicate }, moved, added);
}
