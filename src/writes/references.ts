// "Do these records exist?", answered once for every write: every Reference in a parsed input
// (a global ID, or the caller's own external ID) becomes the database id it names, or the write
// is refused with NotFound naming the field as the client wrote it ("claimant.organisation",
// "figures[1].place"). One query per kind of record, whatever the number of references.
import { NotFoundError } from '../rules/errors.js';
import { Reference, type EntityType } from '../rules/ids.js';
import { fieldPath } from '../rules/parse.js';
import { LOCAL_OPERATOR, type Tx, type WriteSession } from './session.js';

/** The input with every Reference replaced by the database id it resolved to. */
export type Resolved<T> = T extends Reference
  ? number
  : T extends Date
    ? T
    : T extends readonly (infer U)[]
      ? Resolved<U>[]
      : T extends object
        ? { [K in keyof T]: Resolved<T[K]> }
        : T;

interface Found {
  path: (string | number)[];
  reference: Reference;
}

function collect(value: unknown, path: (string | number)[], out: Found[]) {
  if (value instanceof Reference) out.push({ path, reference: value });
  else if (Array.isArray(value)) value.forEach((item, n) => collect(item, [...path, n], out));
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) collect(item, [...path, key], out);
  }
}

function replace(value: unknown, ids: Map<Reference, number>): unknown {
  if (value instanceof Reference) return ids.get(value)!;
  if (Array.isArray(value)) return value.map((item) => replace(item, ids));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replace(item, ids)]));
  }
  return value;
}

const tableOf = (tx: Tx, entityType: EntityType) =>
  (tx as unknown as Record<string, { findMany(args: object): Promise<{ id: number }[]> }>)[entityType.charAt(0).toLowerCase() + entityType.slice(1)]!;

/**
 * The records these external IDs name for the writer: its own IDs first, then the local
 * operator's (the seed's "seed:bla", an ACLED import's "acled:PAK123"), which every partner may
 * point at. Partners' IDs stay their own.
 */
export async function externalIdsFor(session: WriteSession, entityType: EntityType, externalIds: string[]): Promise<Map<string, number>> {
  const owners = [...new Set([session.actor.owner, LOCAL_OPERATOR.owner])];
  const rows = await session.tx.externalId.findMany({
    where: { ownerId: { in: owners }, entityType, externalId: { in: externalIds } },
    select: { ownerId: true, externalId: true, entityId: true },
  });
  const found = new Map<string, number>();
  for (const owner of owners) for (const row of rows) if (row.ownerId === owner && !found.has(row.externalId)) found.set(row.externalId, row.entityId);
  return found;
}

/** Every Reference in `value`, with the field path it sits at. */
export function referencesIn(value: unknown): { field: string; reference: Reference }[] {
  const found: Found[] = [];
  collect(value, [], found);
  return found.map(({ path, reference }) => ({ field: fieldPath(path), reference }));
}

/**
 * Resolves every reference in `input` (external IDs in the writer's own namespace), refusing
 * the first one that names nothing. `prefix` is where `input` sits in the request.
 */
export async function resolveReferences<T>(session: WriteSession, input: T, prefix = ''): Promise<Resolved<T>> {
  const found: Found[] = [];
  collect(input, prefix ? [prefix] : [], found);
  const ids = new Map<Reference, number>();
  const types = [...new Set(found.map((f) => f.reference.entityType))];
  for (const entityType of types) {
    const ofType = found.filter((f) => f.reference.entityType === entityType);
    const byId = [...new Set(ofType.flatMap((f) => (f.reference.id !== null ? [f.reference.id] : [])))];
    const existing = byId.length
      ? new Set((await tableOf(session.tx, entityType).findMany({ where: { id: { in: byId } }, select: { id: true } })).map((row) => row.id))
      : new Set<number>();
    const byExternalId = [...new Set(ofType.flatMap((f) => (f.reference.externalId !== null ? [f.reference.externalId] : [])))];
    const mapped = byExternalId.length ? await externalIdsFor(session, entityType, byExternalId) : new Map<string, number>();
    for (const { path, reference } of ofType) {
      if (reference.id !== null) {
        if (!existing.has(reference.id)) throw new NotFoundError(fieldPath(path), entityType, reference.id);
        ids.set(reference, reference.id);
      } else {
        const id = mapped.get(reference.externalId!);
        if (id === undefined) throw new NotFoundError(fieldPath(path), entityType, reference.externalId!, 'externalId');
        ids.set(reference, id);
      }
    }
  }
  return replace(input, ids) as Resolved<T>;
}
