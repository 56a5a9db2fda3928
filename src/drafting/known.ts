// What the gateway already knows that a text may mention: organisations and officials (by name,
// alias and role), places (by name and alias), incidents near the text's date, and sources. The
// drafter matches mentions against these; nothing here is GraphQL.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { IncidentKind, OrganisationKind, PlaceKind, SourceKind } from '../generated/prisma/enums.js';

export interface KnownOrganisation {
  id: number;
  externalId: string | null;
  name: string;
  aliases: string[];
  kind: OrganisationKind;
}
export interface KnownOfficial {
  id: number;
  externalId: string | null;
  name: string | null;
  description: string | null;
  aliases: string[];
  roles: { title: string; organisationKind: OrganisationKind | null; placeId: number | null }[];
}
export interface KnownPlace {
  id: number;
  externalId: string | null;
  name: string;
  aliases: string[];
  kind: PlaceKind;
  parentId: number | null;
}
export interface KnownIncident {
  id: number;
  externalId: string | null;
  title: string;
  description: string | null;
  kind: IncidentKind;
  startedAt: Date | null;
  parentId: number | null;
  placeIds: number[];
}
export interface KnownSource {
  id: number;
  externalId: string | null;
  title: string | null;
  kind: SourceKind;
  publisherId: number | null;
  publishedAt: Date | null;
}
/** A source chain already recorded: which sources followed which, and for which claimant. */
export interface KnownChain {
  sourceIds: number[];
  officialId: number | null;
  organisationId: number | null;
  claimantDescription: string;
}

export interface Known {
  organisations: KnownOrganisation[];
  officials: KnownOfficial[];
  places: KnownPlace[];
  incidents: KnownIncident[];
  sources: KnownSource[];
  chains: KnownChain[];
}

export const NOTHING_KNOWN: Known = { organisations: [], officials: [], places: [], incidents: [], sources: [], chains: [] };

/** Incidents this many days either side of the text's date are candidates for a match (undated ones always). */
const INCIDENT_WINDOW_DAYS = 14;

/**
 * Loads what a text may be matched against. Entities are read by name only (a few columns);
 * incidents only near `publishedAt`, and chains only behind sources with the same title or publisher.
 * External IDs are the reader's (`owners`: the caller's, then the local operator's), as a
 * partner would write them back.
 */
export async function loadKnown(
  prisma: PrismaClient,
  around: { publishedAt: Date | null; title: string | null; publisherId?: number | null },
  owners: readonly number[],
): Promise<Known> {
  const at = around.publishedAt ?? new Date();
  const window = INCIDENT_WINDOW_DAYS * 86_400_000;
  const [organisations, officials, places, incidents] = await Promise.all([
    prisma.organisation.findMany({ select: { id: true, name: true, aliases: true, kind: true } }),
    prisma.official.findMany({
      select: {
        id: true,
        name: true,
        description: true,
        aliases: true,
        roles: { select: { title: true, placeId: true, organisation: { select: { kind: true } } } },
      },
    }),
    prisma.place.findMany({ select: { id: true, name: true, aliases: true, kind: true, parentId: true } }),
    prisma.incident.findMany({
      where: { OR: [{ startedAt: { gte: new Date(at.getTime() - window), lte: new Date(at.getTime() + window) } }, { startedAt: null }] },
      select: { id: true, title: true, description: true, kind: true, startedAt: true, parentId: true, places: { select: { placeId: true } } },
      take: 2_000,
      orderBy: { id: 'desc' },
    }),
  ]);
  const sourceWhere = [
    ...(around.title ? [{ title: { equals: around.title, mode: 'insensitive' as const } }] : []),
    ...(around.publisherId ? [{ publisherId: around.publisherId, publishedAt: around.publishedAt ?? undefined }] : []),
  ];
  const outer = sourceWhere.length
    ? await prisma.source.findMany({
        where: { OR: sourceWhere },
        select: { id: true, title: true, kind: true, publisherId: true, publishedAt: true },
        take: 20,
      })
    : [];
  const statements = outer.length
    ? await prisma.statement.findMany({
        where: { sources: { some: { sourceId: { in: outer.map((s) => s.id) }, position: 0 } } },
        select: {
          officialId: true,
          organisationId: true,
          claimantDescription: true,
          sources: {
            select: { sourceId: true, position: true, source: { select: { id: true, title: true, kind: true, publisherId: true, publishedAt: true } } },
          },
        },
        take: 500,
      })
    : [];
  const sources = new Map(outer.map((s) => [s.id, s]));
  for (const s of statements) for (const link of s.sources) sources.set(link.source.id, link.source);
  const externalId = await externalIdsOf(prisma, owners, {
    Organisation: organisations.map((o) => o.id),
    Official: officials.map((o) => o.id),
    Place: places.map((p) => p.id),
    Incident: incidents.map((i) => i.id),
    Source: [...sources.keys()],
  });
  return {
    organisations: organisations.map((o) => ({ ...o, externalId: externalId('Organisation', o.id) })),
    officials: officials.map((o) => ({
      ...o,
      externalId: externalId('Official', o.id),
      roles: o.roles.map((r) => ({ title: r.title, placeId: r.placeId, organisationKind: r.organisation?.kind ?? null })),
    })),
    places: places.map((p) => ({ ...p, externalId: externalId('Place', p.id) })),
    incidents: incidents.map(({ places: links, ...i }) => ({ ...i, externalId: externalId('Incident', i.id), placeIds: links.map((p) => p.placeId) })),
    sources: [...sources.values()].map((s) => ({ ...s, externalId: externalId('Source', s.id) })),
    chains: statements.map((s) => ({
      sourceIds: [...s.sources].sort((a, b) => a.position - b.position).map((link) => link.sourceId),
      officialId: s.officialId,
      organisationId: s.organisationId,
      claimantDescription: s.claimantDescription,
    })),
  };
}

/** The reader's external ID of each record: the first owner's that has one. */
async function externalIdsOf(prisma: PrismaClient, owners: readonly number[], ids: Record<string, number[]>) {
  const rows = await prisma.externalId.findMany({
    where: { ownerId: { in: [...owners] }, OR: Object.entries(ids).map(([entityType, entityIds]) => ({ entityType, entityId: { in: entityIds } })) },
    select: { ownerId: true, entityType: true, entityId: true, externalId: true },
  });
  const found = new Map<string, string>();
  for (const owner of owners) {
    for (const row of rows) {
      const key = `${row.entityType}:${row.entityId}`;
      if (row.ownerId === owner && !found.has(key)) found.set(key, row.externalId);
    }
  }
  return (entityType: string, id: number) => found.get(`${entityType}:${id}`) ?? null;
}

/** Lower case, straight quotes, single spaces: names compare in this form. */
export const normalise = (s: string) => s.toLowerCase().replace(/[’‘`]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();

/** Lower case and straight quotes, character for character: positions in the result are positions in `s`. */
export const fold = (s: string) =>
  Array.from(s, (c) => {
    const lower = c.toLowerCase();
    const straight = lower.replace(/[’‘`]/, "'").replace(/[“”]/, '"');
    return straight.length === c.length ? straight : c;
  }).join('');

/** Where `name` occurs in `text` as whole words (normalised), or -1 from `from`. Short all-capital names ("BLA") must match in capitals. */
export function findName(text: string, name: string, from = 0): number {
  const wanted = normalise(name);
  if (wanted.length < 2) return -1;
  const acronym = /^[A-Z0-9]{2,6}$/.test(name.trim());
  const haystack = acronym ? text : fold(text);
  const needle = acronym ? name.trim() : wanted;
  let at = haystack.indexOf(needle, from);
  while (at >= 0) {
    const before = haystack[at - 1];
    const after = haystack[at + needle.length];
    const boundary = (c: string | undefined) => c === undefined || !/[\p{L}\p{N}]/u.test(c);
    if (boundary(before) && boundary(after)) return at;
    at = haystack.indexOf(needle, at + 1);
  }
  return -1;
}

/** The names an organisation, official or place goes by. */
export const namesOf = (entity: { name: string | null; aliases: string[] }) =>
  [entity.name, ...entity.aliases].filter((n): n is string => !!n && n.trim().length >= 2);
