// Places and incidents nest. Filters such as "incidents in Balochistan" or "figures for the
// coordinated attack" mean the node and everything below it: one recursive query each.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

const TREE_TABLES = { place: Prisma.raw('"Place"'), incident: Prisma.raw('"Incident"') } as const;

/**
 * The given ids and the ids of all their descendants, as a subquery (for statements that filter in
 * SQL). The roots are ids, or one SQL expression (a column of the row an outer query is on).
 */
export function subtreeSql(tree: keyof typeof TREE_TABLES, rootIds: number[] | Prisma.Sql): Prisma.Sql {
  if (Array.isArray(rootIds) && rootIds.length === 0) return Prisma.sql`(SELECT NULL::int AS id WHERE FALSE)`;
  const table = TREE_TABLES[tree];
  const roots = Array.isArray(rootIds) ? Prisma.sql`id IN (${Prisma.join(rootIds)})` : Prisma.sql`id = ${rootIds}`;
  return Prisma.sql`(
    WITH RECURSIVE subtree(id) AS (
      SELECT id FROM ${table} WHERE ${roots}
      UNION
      SELECT child.id FROM ${table} child JOIN subtree ON child."parentId" = subtree.id
    )
    SELECT id FROM subtree)`;
}

/** The given ids and the ids of all their descendants. */
export async function withDescendants(prisma: PrismaClient, tree: keyof typeof TREE_TABLES, rootIds: number[]): Promise<number[]> {
  if (rootIds.length === 0) return [];
  const rows = await prisma.$queryRaw<{ id: number }[]>`SELECT id FROM ${subtreeSql(tree, rootIds)} ids`;
  return rows.map((row) => Number(row.id));
}
