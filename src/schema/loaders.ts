// Batch loaders for what Prisma query merging cannot reach: data behind recursive queries.
// One loader set per request, so nothing is cached across requests.
import DataLoader from 'dataloader';
import { Prisma, type Figure, type PrismaClient } from '../generated/prisma/client.js';

export interface Loaders {
  /** A figure's earlier versions, newest first (the figure it supersedes, then that one's...). */
  earlierVersions: DataLoader<number, Figure[]>;
}

export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    earlierVersions: new DataLoader(async (figureIds) => {
      const rows = await prisma.$queryRaw<{ start: number; id: number; depth: number }[]>`
        WITH RECURSIVE chain(start, id, depth) AS (
          SELECT f.id, f."supersedesId", 1 FROM "Figure" f
            WHERE f.id IN (${Prisma.join(figureIds)}) AND f."supersedesId" IS NOT NULL
          UNION ALL
          SELECT chain.start, f."supersedesId", chain.depth + 1 FROM "Figure" f
            JOIN chain ON f.id = chain.id WHERE f."supersedesId" IS NOT NULL
        )
        SELECT start, id, depth FROM chain`;
      const figures = await prisma.figure.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
      const byId = new Map(figures.map((figure) => [figure.id, figure]));
      return figureIds.map((figureId) =>
        rows
          .filter((row) => row.start === figureId)
          .sort((a, b) => a.depth - b.depth)
          .map((row) => byId.get(row.id)!),
      );
    }),
  };
}
