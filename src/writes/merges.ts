// Merging duplicates (admins only). One transaction: every reference to the duplicate moves to
// the kept record (claimants, verifiers, counted organisations, publishers, member
// organisations, roles, participations, child places, incident places — join rows merged
// without breaking their keys — and the partners' external IDs), the duplicate's name and
// aliases become aliases of the kept one, what only the duplicate knew fills the kept one's
// gaps, and the duplicate is deleted. Every record whose reference moved gets a MERGE change
// with its whole state before and after, so the change feed still replays to the live state.
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client.js';
import { InvalidInputError } from '../rules/errors.js';
import { ref } from '../rules/fields.js';
import type { EntityType } from '../rules/ids.js';
import { parseInput } from '../rules/parse.js';
import { mergedAway, snapshot, snapshots } from './audit.js';
import { cleanAliases, isInSubtree, nextUpdatedAt } from './editing.js';
import { resolveReferences } from './references.js';
import type { Tx, WriteSession } from './session.js';

export type MergeableType = 'Organisation' | 'Official' | 'Place';

export interface MergeResult {
  entityType: MergeableType;
  keptId: number;
  duplicateId: number;
  /** How many references of each kind moved from the duplicate to the kept record ("Statement.organisationId": 2). */
  moved: Record<string, number>;
  /** Names the kept record gained as aliases (the duplicate's name and aliases it did not have yet). */
  addedAliases: string[];
  replayed: boolean;
}

/**
 * A column that refers to the record being merged. `owner` is the record a moved reference
 * changes (a statement for its claimant, an incident for its participants); null when it is
 * the merged record itself.
 */
interface Reference {
  table: string;
  column: string;
  owner: { entityType: EntityType; idColumn: string } | null;
  /** The rows form a composite primary key with this column: move by insert-if-absent + delete. */
  compositeKey?: { otherColumn: string };
}

const self = (entityType: EntityType) => ({ entityType, idColumn: 'id' });
const ofIncident = { entityType: 'Incident' as const, idColumn: 'incidentId' };
const ofOfficial = { entityType: 'Official' as const, idColumn: 'officialId' };

const REFERENCES: Record<MergeableType, Reference[]> = {
  Organisation: [
    { table: 'Statement', column: 'organisationId', owner: self('Statement') },
    { table: 'Statement', column: 'verifiedById', owner: self('Statement') },
    { table: 'Figure', column: 'countedOrganisationId', owner: self('Figure') },
    { table: 'Source', column: 'publisherId', owner: self('Source') },
    { table: 'Organisation', column: 'parentId', owner: self('Organisation') },
    { table: 'OfficialRole', column: 'organisationId', owner: ofOfficial },
    { table: 'IncidentParticipant', column: 'organisationId', owner: ofIncident },
  ],
  Official: [
    { table: 'Statement', column: 'officialId', owner: self('Statement') },
    { table: 'OfficialRole', column: 'officialId', owner: null },
    { table: 'IncidentParticipant', column: 'officialId', owner: ofIncident },
  ],
  Place: [
    { table: 'Place', column: 'parentId', owner: self('Place') },
    { table: 'Organisation', column: 'countryId', owner: self('Organisation') },
    { table: 'Figure', column: 'placeId', owner: self('Figure') },
    { table: 'OfficialRole', column: 'placeId', owner: ofOfficial },
    { table: 'IncidentPlace', column: 'placeId', owner: ofIncident, compositeKey: { otherColumn: 'incidentId' } },
  ],
};

/** Tables with an `updatedAt` column (the concurrency token of entity updates). */
const HAS_UPDATED_AT = new Set(['Statement', 'Figure', 'Source', 'Organisation', 'Official', 'Place', 'Incident']);
const ident = (name: string) => Prisma.raw(`"${name}"`); // names come from the constant table above only
const nowUtc = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

/** Moves one kind of reference from `from` to `to`, recording a MERGE change for every owner it changes. Returns how many moved. */
async function moveReference(session: WriteSession, ref: Reference, from: number, to: number): Promise<number> {
  const { tx } = session;
  const table = ident(ref.table);
  const column = ident(ref.column);
  const owners = ref.owner
    ? (await tx.$queryRaw<{ id: number }[]>`SELECT DISTINCT ${ident(ref.owner.idColumn)} AS id FROM ${table} WHERE ${column} = ${from}`).map((row) =>
        Number(row.id),
      )
    : [];
  const before = ref.owner ? await snapshots(tx, ref.owner.entityType, owners) : new Map();
  let moved: number;
  if (ref.compositeKey) {
    // (incident, duplicate) becomes (incident, kept) unless that row is already there: no key is violated.
    const other = ident(ref.compositeKey.otherColumn);
    await tx.$executeRaw`INSERT INTO ${table} (${other}, ${column}) SELECT ${other}, ${to}::int FROM ${table} WHERE ${column} = ${from} ON CONFLICT DO NOTHING`;
    moved = await tx.$executeRaw`DELETE FROM ${table} WHERE ${column} = ${from}`;
  } else {
    const touch = HAS_UPDATED_AT.has(ref.table) ? Prisma.sql`, "updatedAt" = ${nowUtc}` : Prisma.empty;
    moved = await tx.$executeRaw`UPDATE ${table} SET ${column} = ${to}::int ${touch} WHERE ${column} = ${from}`;
  }
  if (ref.owner) {
    const owner = ref.owner;
    if (owner.idColumn !== 'id' && owners.length > 0) {
      await tx.$executeRaw`UPDATE ${ident(owner.entityType)} SET "updatedAt" = ${nowUtc} WHERE id IN (${Prisma.join(owners)})`;
    }
    const after = await snapshots(tx, owner.entityType, owners);
    // The record whole, and which of its references the merge moved.
    const merge = { reference: `${ref.table}.${ref.column}`, from, to };
    for (const id of owners) {
      const now = after.get(id);
      session.changes.push({
        operation: 'MERGE',
        entityType: owner.entityType,
        entityId: id,
        before: before.get(id) ?? null,
        after: now ? { ...now, merge } : null,
      });
    }
  }
  return moved;
}

/** The partners' external IDs for the duplicate now name the kept record. */
async function moveExternalIds(tx: Tx, entityType: MergeableType, from: number, to: number): Promise<number> {
  return (await tx.externalId.updateMany({ where: { entityType, entityId: from }, data: { entityId: to } })).count;
}

async function moveAll(session: WriteSession, entityType: MergeableType, from: number, to: number) {
  const moved: Record<string, number> = {};
  for (const ref of REFERENCES[entityType]) moved[`${ref.table}.${ref.column}`] = await moveReference(session, ref, from, to);
  moved['ExternalId.entityId'] = await moveExternalIds(session.tx, entityType, from, to);
  return moved;
}

const mergeInputs = {
  Organisation: z.strictObject({ keep: ref(['Organisation'], 'The organisation to keep.'), duplicate: ref(['Organisation'], 'The duplicate.') }),
  Official: z.strictObject({ keep: ref(['Official'], 'The official to keep.'), duplicate: ref(['Official'], 'The duplicate.') }),
  Place: z.strictObject({ keep: ref(['Place'], 'The place to keep.'), duplicate: ref(['Place'], 'The duplicate.') }),
};

/** Refuses self-merges; resolves and locks both rows (so a concurrent write waits for the merge). */
async function claimPair(session: WriteSession, entityType: MergeableType, raw: unknown): Promise<{ keepId: number; duplicateId: number }> {
  const { keep: keepId, duplicate: duplicateId } = await resolveReferences(session, parseInput(mergeInputs[entityType], raw));
  if (keepId === duplicateId) {
    throw new InvalidInputError([
      { field: 'duplicate', rule: `must be another ${entityType.toLowerCase()} than keep: a record cannot be merged into itself`, code: 'NOT_ALLOWED' },
    ]);
  }
  await session.tx.$queryRaw`SELECT id FROM ${ident(entityType)} WHERE id IN (${keepId}::int, ${duplicateId}::int) ORDER BY id FOR UPDATE`;
  if (entityType !== 'Official' && (await isInSubtree(session.tx, entityType, duplicateId, keepId))) {
    throw new InvalidInputError([
      {
        field: 'keep',
        rule: `must not lie inside the duplicate (it is below it): the duplicate's children would become their own ancestors`,
        code: 'NOT_ALLOWED',
      },
    ]);
  }
  return { keepId, duplicateId };
}

/** A parent the kept record may adopt from the duplicate, when it has none: not itself or below itself. */
async function adoptableParent(tx: Tx, tree: 'Organisation' | 'Place', keepId: number, parentId: number | null): Promise<number | null> {
  if (parentId == null) return null;
  return (await isInSubtree(tx, tree, keepId, parentId)) ? null : parentId;
}

function mergedAliases(keep: { name: string | null; aliases: string[] }, duplicate: { name: string | null; aliases: string[] }, keptName: string | null) {
  const aliases = cleanAliases([...keep.aliases, ...(duplicate.name ? [duplicate.name] : []), ...duplicate.aliases], keptName);
  const had = new Set([...keep.aliases, ...(keep.name ? [keep.name] : [])].map((a) => a.trim().toLowerCase()));
  return { aliases, added: aliases.filter((a) => !had.has(a.toLowerCase())) };
}

/** Runs one merge: moves, then `fill` updates the kept record; records MERGE changes for both. */
async function merge<Row extends { name: string | null; aliases: string[]; updatedAt: Date }>(
  session: WriteSession,
  entityType: MergeableType,
  raw: unknown,
  load: (id: number) => Promise<Row>,
  fill: (ids: { keepId: number; duplicateId: number }, keep: Row, duplicate: Row, aliases: string[]) => Promise<unknown>,
  remove: (id: number) => Promise<unknown>,
): Promise<MergeResult> {
  const ids = await claimPair(session, entityType, raw);
  const [keepBefore, duplicateBefore] = [await snapshot(session.tx, entityType, ids.keepId), await snapshot(session.tx, entityType, ids.duplicateId)];
  const keep = await load(ids.keepId);
  const duplicate = await load(ids.duplicateId);
  const moved = await moveAll(session, entityType, ids.duplicateId, ids.keepId);
  const { aliases, added } = mergedAliases(keep, duplicate, keep.name ?? duplicate.name);
  await fill(ids, await load(ids.keepId), duplicate, aliases);
  await remove(ids.duplicateId);
  const summary = { keptId: ids.keepId, duplicateId: ids.duplicateId, moved, addedAliases: added };
  session.changes.push(
    // The kept record as it is now, with what the merge moved into it (the audit trail says why it changed).
    {
      operation: 'MERGE',
      entityType,
      entityId: ids.keepId,
      before: keepBefore,
      after: { ...(await snapshot(session.tx, entityType, ids.keepId))!, merge: summary },
    },
    { operation: 'MERGE', entityType, entityId: ids.duplicateId, before: duplicateBefore, after: mergedAway(summary) },
  );
  return { entityType, ...summary, replayed: false };
}

/** Merges a duplicate organisation into the one kept. */
export function mergeOrganisations(session: WriteSession, raw: unknown): Promise<MergeResult> {
  const { tx } = session;
  return merge(
    session,
    'Organisation',
    raw,
    (id) => tx.organisation.findUniqueOrThrow({ where: { id } }),
    async ({ keepId }, keep, duplicate, aliases) =>
      tx.organisation.update({
        where: { id: keepId },
        data: {
          aliases,
          // What only the duplicate knew is kept: the kept record's own values win.
          countryId: keep.countryId ?? duplicate.countryId,
          parentId: keep.parentId ?? (await adoptableParent(tx, 'Organisation', keepId, duplicate.parentId)),
          description: keep.description ?? duplicate.description,
          notes: keep.notes ?? duplicate.notes,
          updatedAt: nextUpdatedAt(keep.updatedAt),
        },
      }),
    (id) => tx.organisation.delete({ where: { id } }),
  );
}

/** Merges a duplicate official into the one kept (its statements, roles and participations move). */
export function mergeOfficials(session: WriteSession, raw: unknown): Promise<MergeResult> {
  const { tx } = session;
  return merge(
    session,
    'Official',
    raw,
    (id) => tx.official.findUniqueOrThrow({ where: { id } }),
    ({ keepId }, keep, duplicate, aliases) =>
      tx.official.update({
        where: { id: keepId },
        data: { name: keep.name ?? duplicate.name, description: keep.description ?? duplicate.description, aliases, updatedAt: nextUpdatedAt(keep.updatedAt) },
      }),
    (id) => tx.official.delete({ where: { id } }),
  );
}

/** Merges a duplicate place into the one kept (children, incidents, figures, roles, organisations move). */
export function mergePlaces(session: WriteSession, raw: unknown): Promise<MergeResult> {
  const { tx } = session;
  return merge(
    session,
    'Place',
    raw,
    (id) => tx.place.findUniqueOrThrow({ where: { id } }),
    async ({ keepId }, keep, duplicate, aliases) =>
      tx.place.update({
        where: { id: keepId },
        data: {
          aliases,
          ...(keep.latitude != null ? {} : { latitude: duplicate.latitude, longitude: duplicate.longitude }),
          parentId: keep.parentId ?? (await adoptableParent(tx, 'Place', keepId, duplicate.parentId)),
          description: keep.description ?? duplicate.description,
          updatedAt: nextUpdatedAt(keep.updatedAt),
        },
      }),
    (id) => tx.place.delete({ where: { id } }),
  );
}
