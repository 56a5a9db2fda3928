// What creating and editing organisations, officials, places, sources and incidents have in
// common: replays by external ID, the concurrency token, cycles in trees, aliases.
//
// Concurrency: these tables have no `version` column. An update carries the `updatedAt` the
// writer read (`expectedUpdatedAt`); the row changes only if it still has exactly that timestamp
// (compare-and-set), else the update is a Conflict. Every write moves `updatedAt` strictly
// forward, so two writes within one millisecond still change the token. An update that changes
// nothing writes nothing (`replayed: true`), so sending the same update twice is harmless.
import { Prisma } from '../generated/prisma/client.js';
import { ConflictError, InvalidInputError, NotFoundError, type InputIssue } from '../rules/errors.js';
import { differingFields } from '../rules/differences.js';
import type { EntityType } from '../rules/ids.js';
import { snapshot } from './audit.js';
import { contentOf, keepExternalId, replayOf } from './external-ids.js';
import { recordChange, type Tx, type WriteSession } from './session.js';

export type EditableType = 'Organisation' | 'Official' | 'Place' | 'Source' | 'Incident';

export interface EntityWriteResult {
  entityType: EditableType;
  id: number;
  /** True when nothing was written: the same creation (external ID and content) or an update that changed nothing. */
  replayed: boolean;
  /** The new concurrency token: send it as `expectedUpdatedAt` with the next update. */
  updatedAt: string;
}

const result = (entityType: EditableType, row: { id: number; updatedAt: Date }, replayed: boolean): EntityWriteResult => ({
  entityType,
  id: row.id,
  replayed,
  updatedAt: row.updatedAt.toISOString(),
});

type Row = { id: number; updatedAt: Date };
const tableOf = (tx: Tx, entityType: EditableType) =>
  (tx as unknown as Record<string, { findUniqueOrThrow(args: object): Promise<Row> }>)[entityType.charAt(0).toLowerCase() + entityType.slice(1)]!;

/** Refuses when any rule across fields is broken, listing them all. */
export function refuseIf(issues: (InputIssue | false | null | undefined)[]) {
  const broken = issues.filter((issue): issue is InputIssue => !!issue);
  if (broken.length > 0) throw new InvalidInputError(broken);
}

/**
 * Creates a record, or returns the one an earlier creation with the same external ID made
 * (the same content) — a Conflict when the content differs. Audited.
 */
export async function createRecord(
  session: WriteSession,
  entityType: EditableType,
  input: { externalId?: string | null },
  create: () => Promise<Row>,
): Promise<EntityWriteResult> {
  const { externalId, ...content } = input;
  const recorded = contentOf(content);
  if (externalId) {
    const earlier = await replayOf(session, entityType, externalId, recorded);
    if (earlier !== null) return result(entityType, await tableOf(session.tx, entityType).findUniqueOrThrow({ where: { id: earlier } }), true);
  }
  const row = await create();
  if (externalId) await keepExternalId(session, entityType, externalId, row.id, recorded);
  await recordChange(session, { operation: 'CREATE', entityType, entityId: row.id, before: null });
  return result(entityType, row, false);
}

/** A timestamp strictly after the one being replaced: the concurrency token always changes. */
export function nextUpdatedAt(previous: Date): Date {
  return new Date(Math.max(Date.now(), previous.getTime() + 1));
}

/**
 * Updates a record if the writer read its current state and the update changes something.
 * `changes` are the fields given (as the snapshot names them: columns, or the owned lists);
 * `apply` writes them and must move `updatedAt` with `nextUpdatedAt` under the compare-and-set
 * condition, returning how many rows it changed (0: someone else changed it meanwhile).
 */
export async function updateRecord(
  session: WriteSession,
  entityType: EditableType,
  id: number,
  expectedUpdatedAt: Date,
  changes: Record<string, unknown>,
  apply: (updatedAt: Date) => Promise<number>,
): Promise<EntityWriteResult> {
  const before = await snapshot(session.tx, entityType, id);
  if (!before) throw new NotFoundError(entityType.toLowerCase(), entityType, id);
  const current = new Date(before.updatedAt as string);
  const unchanged = differingFields(Object.fromEntries(Object.keys(changes).map((key) => [key, withoutRowIds(before[key])])), contentOf(changes)).length === 0;
  if (unchanged) return result(entityType, { id, updatedAt: current }, true);
  if (current.getTime() !== expectedUpdatedAt.getTime()) {
    throw new ConflictError(
      'expectedUpdatedAt',
      `${entityType} was changed at ${current.toISOString()}, after the state you read (${expectedUpdatedAt.toISOString()}): re-read it and try again`,
    );
  }
  const count = await apply(nextUpdatedAt(current));
  if (count === 0)
    throw new ConflictError(
      'expectedUpdatedAt',
      `${entityType} was changed by someone else after ${expectedUpdatedAt.toISOString()}: re-read it and try again`,
    );
  await recordChange(session, { operation: 'UPDATE', entityType, entityId: id, before });
  return result(entityType, await tableOf(session.tx, entityType).findUniqueOrThrow({ where: { id } }), false);
}

/** Owned rows compared by what they say, not by their row ids (a list sent again is the same list). */
function withoutRowIds(value: unknown): unknown {
  return Array.isArray(value) ? value.map((item) => (item && typeof item === 'object' ? { ...item, id: undefined } : item)) : value;
}

/** The fields an update gives (undefined: leave as it is; null: clear). */
export function given<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Aliases trimmed and deduplicated ignoring case (the first spelling wins), without the name itself. */
export function cleanAliases(aliases: readonly string[], name: string | null | undefined): string[] {
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

const TREES = { Organisation: Prisma.raw('"Organisation"'), Place: Prisma.raw('"Place"'), Incident: Prisma.raw('"Incident"') } as const;
export type Tree = keyof typeof TREES;

/** Whether `candidate` is `root` or lies anywhere below it. One recursive query. */
export async function isInSubtree(tx: Tx, tree: Tree, root: number, candidate: number): Promise<boolean> {
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

/** Refuses a parent that is the record itself or lies below it. */
export async function refuseParentCycle(tx: Tx, tree: Tree, entityId: number, parentId: number | null | undefined) {
  if (parentId == null) return;
  if (await isInSubtree(tx, tree, entityId, parentId)) {
    const what = tree === 'Incident' ? 'a part' : 'inside';
    throw new InvalidInputError([
      {
        field: 'parent',
        rule:
          parentId === entityId
            ? `must not be the ${tree.toLowerCase()} itself`
            : `must not be ${what} of this ${tree.toLowerCase()} (it lies below it): the tree would become a cycle`,
        code: 'NOT_ALLOWED',
      },
    ]);
  }
}

export type { EntityType };
