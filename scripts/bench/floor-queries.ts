// The nested incident page's data (50 incidents, newest first → their first 20 statements →
// figures → claimant, with the total count) fetched without GraphQL, the way a hand-written endpoint would:
//   prisma  Prisma `findMany` with nested selects (what the gateway's resolvers build on)
//   sql     one hand-written SQL statement that builds the JSON inside PostgreSQL
// Both answer with the same shape and the same global IDs as the gateway's `nestedPage(50)`.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { formatPrismaCursor } from '@pothos/plugin-prisma';
import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.js';

const PAGE = 50;
/** An incident's statements on the page: the gateway's default page size. */
const STATEMENTS = 20;

const claimantOf = (s: {
  claimantDescription: string;
  organisation: { id: number; name: string } | null;
  official: { id: number; name: string | null } | null;
}) =>
  s.organisation
    ? { __typename: 'Organisation', id: encodeGlobalID('Organisation', s.organisation.id), name: s.organisation.name }
    : s.official
      ? { __typename: 'Official', id: encodeGlobalID('Official', s.official.id), name: s.official.name }
      : { __typename: 'UnnamedClaimant', description: s.claimantDescription };

async function viaPrisma(prisma: PrismaClient) {
  const [incidents, totalCount] = await Promise.all([
    prisma.incident.findMany({
      take: PAGE + 1,
      orderBy: [{ startedAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }],
      select: {
        id: true,
        title: true,
        startedAt: true,
        statements: {
          orderBy: { statementId: 'asc' },
          take: STATEMENTS,
          select: {
            statement: {
              select: {
                id: true,
                text: true,
                madeAt: true,
                claimantDescription: true,
                organisation: { select: { id: true, name: true } },
                official: { select: { id: true, name: true } },
                figures: {
                  orderBy: { id: 'asc' },
                  select: { id: true, metric: true, victimCategory: true, quantityKind: true, low: true, high: true, phrase: true },
                },
              },
            },
          },
        },
      },
    }),
    prisma.incident.count(),
  ]);
  const page = incidents.slice(0, PAGE);
  return {
    incidents: {
      totalCount,
      pageInfo: { endCursor: page.length ? formatPrismaCursor(page.at(-1)!, 'id') : null, hasNextPage: incidents.length > PAGE },
      edges: page.map((incident) => ({
        node: {
          id: encodeGlobalID('Incident', incident.id),
          title: incident.title,
          startedAt: incident.startedAt,
          statements: {
            edges: incident.statements.map(({ statement: s }) => ({
              node: {
                id: encodeGlobalID('Statement', s.id),
                text: s.text,
                madeAt: s.madeAt,
                claimantDescription: s.claimantDescription,
                claimant: claimantOf(s),
                figures: s.figures.map((f) => ({
                  id: encodeGlobalID('Figure', f.id),
                  metric: f.metric,
                  victimCategory: f.victimCategory,
                  quantity: { kind: f.quantityKind, low: f.low, high: f.high, phrase: f.phrase },
                })),
              },
            })),
          },
        },
      })),
    },
  };
}

// The same page as one statement: PostgreSQL nests the JSON; Node only encodes the IDs.
const PAGE_SQL = Prisma.sql`
  SELECT (SELECT count(*) FROM "Incident")::int AS "totalCount", coalesce(json_agg(page ORDER BY page."startedAt" DESC NULLS LAST, page.id DESC), '[]') AS incidents
  FROM (
    SELECT i.id, i.title, i."startedAt", (
      SELECT coalesce(json_agg(json_build_object(
        'id', s.id, 'text', s.text, 'madeAt', s."madeAt", 'claimantDescription', s."claimantDescription",
        'organisation', (SELECT json_build_object('id', o.id, 'name', o.name) FROM "Organisation" o WHERE o.id = s."organisationId"),
        'official', (SELECT json_build_object('id', p.id, 'name', p.name) FROM "Official" p WHERE p.id = s."officialId"),
        'figures', (SELECT coalesce(json_agg(json_build_object(
            'id', f.id, 'metric', f.metric, 'victimCategory', f."victimCategory",
            'kind', f."quantityKind", 'low', f.low, 'high', f.high, 'phrase', f.phrase) ORDER BY f.id), '[]')
          FROM "Figure" f WHERE f."statementId" = s.id)
      ) ORDER BY s.id), '[]')
      FROM (
        SELECT s.* FROM "StatementIncident" si JOIN "Statement" s ON s.id = si."statementId"
        WHERE si."incidentId" = i.id ORDER BY s.id LIMIT ${STATEMENTS}
      ) s
    ) AS statements
    FROM "Incident" i ORDER BY i."startedAt" DESC NULLS LAST, i.id DESC LIMIT ${PAGE + 1}
  ) page`;

interface SqlIncident {
  id: number;
  title: string;
  startedAt: string | null;
  statements: {
    id: number;
    text: string;
    madeAt: string | null;
    claimantDescription: string;
    organisation: { id: number; name: string } | null;
    official: { id: number; name: string | null } | null;
    figures: { id: number; metric: string; victimCategory: string; kind: string; low: number | null; high: number | null; phrase: string }[];
  }[];
}

async function viaSql(prisma: PrismaClient) {
  const [row] = await prisma.$queryRaw<{ totalCount: number; incidents: SqlIncident[] }[]>(PAGE_SQL);
  const page = row!.incidents.slice(0, PAGE);
  return {
    incidents: {
      totalCount: row!.totalCount,
      pageInfo: { endCursor: page.length ? formatPrismaCursor({ id: page.at(-1)!.id }, 'id') : null, hasNextPage: row!.incidents.length > PAGE },
      edges: page.map((incident) => ({
        node: {
          id: encodeGlobalID('Incident', incident.id),
          title: incident.title,
          startedAt: incident.startedAt,
          statements: {
            edges: incident.statements.map((s) => ({
              node: {
                id: encodeGlobalID('Statement', s.id),
                text: s.text,
                madeAt: s.madeAt,
                claimantDescription: s.claimantDescription,
                claimant: claimantOf(s),
                figures: s.figures.map((f) => ({
                  id: encodeGlobalID('Figure', f.id),
                  metric: f.metric,
                  victimCategory: f.victimCategory,
                  quantity: { kind: f.kind, low: f.low, high: f.high, phrase: f.phrase },
                })),
              },
            })),
          },
        },
      })),
    },
  };
}

/** The floor's two ways of fetching the page, over one client. */
export function floorQueries(prisma: PrismaClient): Record<'prisma' | 'sql', () => Promise<unknown>> {
  return { prisma: () => viaPrisma(prisma), sql: () => viaSql(prisma) };
}
