// How a figure was revised: the `supersedes` links followed from a figure towards its earlier
// versions or its later ones, for many figures in one recursive query. Used by GraphQL's
// revision fields (batched per request) and by the charts.
import { Prisma, type Figure, type PrismaClient } from '../generated/prisma/client.js';

export type RevisionDirection = 'earlier' | 'later';

const REVISION_EDGES: Record<RevisionDirection, Prisma.Sql> = {
  earlier: Prisma.sql`SELECT id AS source, "supersedesId" AS target FROM "Figure" WHERE "supersedesId" IS NOT NULL`,
  later: Prisma.sql`SELECT "supersedesId" AS source, id AS target FROM "Figure" WHERE "supersedesId" IS NOT NULL`,
};

/**
 * For each figure id, its versions one way, nearest first: `earlier` gives the figure it
 * supersedes, then that one's...; `later` the figure that supersedes it, then that one's...
 */
export async function revisionChains(prisma: PrismaClient, figureIds: readonly number[], direction: RevisionDirection): Promise<Figure[][]> {
  if (figureIds.length === 0) return [];
  const rows = await prisma.$queryRaw<{ start: number; id: number; depth: number }[]>`
    WITH RECURSIVE edges AS (${REVISION_EDGES[direction]}),
    chain(start, id, depth) AS (
      SELECT source, target, 1 FROM edges WHERE source IN (${Prisma.join(figureIds)})
      UNION ALL
      SELECT chain.start, edges.target, chain.depth + 1 FROM edges JOIN chain ON edges.source = chain.id
    )
    SELECT start, id, depth FROM chain`;
  const figures = await prisma.figure.findMany({ where: { id: { in: rows.map((row) => row.id) } } });
  const byId = new Map(figures.map((figure) => [figure.id, figure]));
  return figureIds.map((figureId) =>
    rows
      .filter((row) => row.start === figureId)
      .sort((a, b) => a.depth - b.depth)
      .map((row) => byId.get(row.id)!),
  );
}
