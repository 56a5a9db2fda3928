// Full-text search as a journalist uses it: an abbreviation, a full name, a place, the start of a
// word, a word from a statement; ranked, filtered by kind, paged, bounded in SQL statements, and
// served by the GIN indexes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.js';
import { searchSql } from '../src/search/search.js';
import { startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(() => gateway.close());

const NODE = `node { __typename
  ... on Statement { text verificationNote }
  ... on Incident { title }
  ... on Organisation { name aliases }
  ... on Official { displayName roles { title } }
  ... on Place { name }
}`;

const SEARCH = `query($query: String!, $kinds: [SearchKind!], $first: Int, $after: String) {
  search(query: $query, kinds: $kinds, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { rank snippet cursor ${NODE} }
  }
}`;

interface Hit {
  rank: number;
  snippet: string | null;
  cursor: string;
  node: { __typename: string; [field: string]: any };
}

async function search(query: string, more: { kinds?: string[]; first?: number; after?: string } = {}) {
  const response = await gateway.graphql(SEARCH, { query, ...more });
  expect(response.errors).toBeUndefined();
  return response.data!.search as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Hit[] };
}

const label = (hit: Hit) => {
  const node = hit.node;
  return `${node.__typename}: ${node.name ?? node.title ?? node.displayName ?? node.text}`;
};

function expectBestFirst(edges: Hit[]) {
  const ranks = edges.map((edge) => edge.rank);
  expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
}

describe('what a journalist types', () => {
  it('"bla" and "BLA" find the Baloch Liberation Army first, then what mentions it, then words starting with it', async () => {
    const lower = await search('bla');
    const upper = await search('BLA');
    expect(upper.edges.map(label)).toEqual(lower.edges.map(label));

    expect(label(lower.edges[0]!)).toBe('Organisation: Baloch Liberation Army');
    expect(lower.edges[0]!.snippet).toContain('«BLA»');
    expectBestFirst(lower.edges);
    // whole-word matches (rank ≥ 1) come before "blast" (a prefix match, rank < 1)
    const blast = lower.edges.findIndex((edge) => label(edge) === 'Incident: Blast near a high-security area in Quetta');
    expect(blast).toBeGreaterThan(0);
    expect(lower.edges[blast]!.rank).toBeLessThan(1);
    expect(lower.edges.slice(0, blast).every((edge) => edge.rank >= 1)).toBe(true);
    expect(lower.edges.slice(0, blast).map(label)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Statement: The banned separatist group Baloch Liberation Army \(BLA\) claimed/),
        'Incident: Coordinated militant attacks across Balochistan',
      ]),
    );
  });

  it('"Baloch Liberation Army" finds the organisation first, and the statement that names it', async () => {
    const { edges } = await search('Baloch Liberation Army');
    expect(label(edges[0]!)).toBe('Organisation: Baloch Liberation Army');
    expect(edges[0]!.snippet).toContain('«Baloch» «Liberation» «Army»');
    expect(edges.map(label)).toContainEqual(expect.stringMatching(/^Statement: The banned separatist group/));
  });

  it('"Gwadar" finds the place first, then the Gwadar attack, and the statements that mention Gwadar', async () => {
    const { edges, totalCount } = await search('Gwadar');
    expect(label(edges[0]!)).toBe('Place: Gwadar');
    expect(edges.map(label)).toEqual(
      expect.arrayContaining([
        'Place: Camp accommodating migrant workers, Gwadar',
        'Incident: Attack on a camp accommodating migrant workers in Gwadar',
        expect.stringMatching(/^Statement: In Gwadar, militants attacked a camp/),
        expect.stringMatching(/^Statement: Security forces killed six militants in Gwadar/),
        expect.stringMatching(/^Statement: Security officials said armed men launched attacks/),
      ]),
    );
    // places and the incident named after Gwadar outrank statements that only mention it
    const firstStatement = edges.findIndex((edge) => edge.node.__typename === 'Statement');
    const attack = edges.findIndex((edge) => label(edge) === 'Incident: Attack on a camp accommodating migrant workers in Gwadar');
    expect(attack).toBeLessThan(firstStatement);
    expect(totalCount).toBe(edges.length);
    expect(edges.every((edge) => edge.rank >= 1 && edge.snippet?.includes('«Gwadar»'))).toBe(true);
    expectBestFirst(edges);
  });

  it('the start of a word finds whole words: "Balo" → Balochistan, Baloch Liberation Army', async () => {
    const { edges } = await search('Balo');
    const labels = edges.map(label);
    expect(labels).toEqual(expect.arrayContaining(['Place: Balochistan', 'Organisation: Baloch Liberation Army']));
    expect(edges.every((edge) => edge.rank < 1)).toBe(true);
    expect(edges.find((edge) => label(edge) === 'Place: Balochistan')!.snippet).toContain('«Balochistan»');
  });

  it('words from statements, their verification notes, and other forms of a word', async () => {
    const emergency = await search('emergency');
    expect(emergency.edges.map(label)).toEqual(['Statement: Hospitals were placed on emergency footing in some districts, officials said.']);
    expect(emergency.edges[0]!.snippet).toContain('«emergency» footing');

    // "Reuters could not independently verify the video": a verification note
    const verify = await search('verify video');
    expect(verify.edges[0]!.node).toMatchObject({ __typename: 'Statement', text: expect.stringContaining('custody of the militants') });
    expect(verify.edges[0]!.node.verificationNote).toContain('could not independently verify');

    // English stemming: "attacked" finds "attacks" and "attack"
    const attacked = await search('attacked');
    expect(attacked.edges.map(label)).toEqual(
      expect.arrayContaining([
        'Incident: Coordinated militant attacks across Balochistan',
        'Incident: Attack on a camp accommodating migrant workers in Gwadar',
      ]),
    );
  });

  it('officials by name, by description, and by the titles of their roles', async () => {
    const minister = await search('interior minister', { kinds: ['OFFICIAL'] });
    expect(minister.edges.map(label)).toEqual(['Official: Mohsin Naqvi']);

    const administrator = await search('civil administrator', { kinds: ['OFFICIAL'] });
    expect(administrator.edges).toHaveLength(1);
    expect(administrator.edges[0]!.node.roles).toEqual([{ title: 'top civil administrator' }]);

    // a role title that is nowhere else: found through the OfficialRole index
    const official = await gateway.db.prisma.official.create({
      data: { name: 'Zarghuna Testkhel', roles: { create: { title: 'Deputy Commissioner of Kech' } } },
    });
    try {
      const byTitle = await search('Kech commissioner');
      expect(byTitle.edges.map(label)).toEqual(['Official: Zarghuna Testkhel']);
      expect(byTitle.edges[0]!.snippet).toContain('«Commissioner» of «Kech»');
    } finally {
      await gateway.db.prisma.official.delete({ where: { id: official.id } });
    }
  });
});

describe('kinds, pages and bad input', () => {
  it('kinds narrows the search', async () => {
    const all = await search('Gwadar');
    const statements = await search('Gwadar', { kinds: ['STATEMENT'] });
    expect(statements.edges.length).toBeGreaterThanOrEqual(3);
    expect(statements.edges.every((edge) => edge.node.__typename === 'Statement')).toBe(true);
    expect(statements.totalCount).toBe(all.edges.filter((edge) => edge.node.__typename === 'Statement').length);

    const placesAndIncidents = await search('Gwadar', { kinds: ['PLACE', 'INCIDENT'] });
    expect(new Set(placesAndIncidents.edges.map((edge) => edge.node.__typename))).toEqual(new Set(['Place', 'Incident']));
  });

  it('pages with after: the pages add up to the whole list, in order', async () => {
    const whole = await search('Balochistan');
    expect(whole.totalCount).toBeGreaterThan(4);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await search('Balochistan', { first: 2, after });
      expect(page.totalCount).toBe(whole.totalCount);
      seen.push(...page.edges.map(label));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(seen).toEqual(whole.edges.map(label));
  });

  it.each([
    ['', 'query: give at least one word'],
    ['   ', 'query: give at least one word'],
    ['& | ! <-> :* ()', 'query: "& | ! <-> :* ()" has no letters or digits'],
  ])('query %j is refused with an error naming the argument', async (query, message) => {
    const response = await gateway.graphql(SEARCH, { query });
    expect(response.errors?.[0]?.message).toContain(message);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'query' });
  });

  it('tsquery operators inside words are ignored, not interpreted', async () => {
    const { edges } = await search("bla' & !(:* gwadar");
    // "bla & gwadar": only the incident and statement that mention both
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.map(label)).toContain('Incident: Coordinated militant attacks across Balochistan');
  });

  it('a bad cursor is refused with an error naming `after`', async () => {
    const response = await gateway.graphql(SEARCH, { query: 'bla', after: 'not-a-cursor' });
    expect(response.errors?.[0]?.message).toMatch(/^after: "not-a-cursor" is not a search cursor/);
    expect(response.errors?.[0]?.extensions).toMatchObject({ argument: 'after' });
  });
});

describe('cost', () => {
  const NESTED = `query($query: String!, $first: Int) {
    search(query: $query, first: $first) {
      totalCount
      edges { rank snippet node { __typename
        ... on Statement { text claimant { __typename ... on Organisation { name } } incidents { title places { name } } figures { quantity { phrase } } }
        ... on Incident { title places { name parent { name } } }
        ... on Organisation { name country { name } }
        ... on Official { displayName roles { title organisation { name } } }
        ... on Place { name parent { name } }
      } }
    }
  }`;

  /** `count` rows of every kind that mention `word`, linked to each other. */
  async function fixtures(word: string, count: number) {
    const prisma = gateway.db.prisma;
    const country = await prisma.place.create({ data: { name: `${word} land`, kind: 'COUNTRY' } });
    for (let n = 0; n < count; n++) {
      const place = await prisma.place.create({ data: { name: `${word} town ${n}`, kind: 'CITY', parentId: country.id } });
      const organisation = await prisma.organisation.create({
        data: { name: `${word} front ${n}`, kind: 'ARMED_GROUP', countryId: country.id },
      });
      await prisma.official.create({
        data: { name: `${word} spokesman ${n}`, roles: { create: { title: 'spokesman', organisationId: organisation.id } } },
      });
      const incident = await prisma.incident.create({
        data: { title: `${word} raid ${n}`, kind: 'ARMED_ATTACK', places: { create: { placeId: place.id } } },
      });
      await prisma.statement.create({
        data: {
          kind: 'RESPONSIBILITY_CLAIM',
          claimantKind: 'ORGANISATION',
          organisationId: organisation.id,
          claimantDescription: `the ${word} front`,
          text: `The ${word} front said it carried out raid ${n}.`,
          incidents: { create: { incidentId: incident.id } },
        },
      });
    }
  }

  it('a search costs the same number of SQL statements for 5 hits as for 100', async () => {
    await fixtures('quokka', 1);
    await fixtures('wombat', 20);

    const few = await gateway.graphql(NESTED, { query: 'quokka', first: 100 });
    const many = await gateway.graphql(NESTED, { query: 'wombat', first: 100 });
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(few.data.search.edges).toHaveLength(6); // the country and one of each kind
    expect(many.data.search.edges).toHaveLength(100);
    expect(new Set(many.data.search.edges.map((edge: Hit) => edge.node.__typename)).size).toBe(5);
    const wombatStatement = many.data.search.edges.find((edge: Hit) => edge.node.__typename === 'Statement').node;
    expect(wombatStatement).toMatchObject({ claimant: { __typename: 'Organisation' }, incidents: [{ places: [expect.anything()] }] });

    const cost = { few: few.extensions!.sqlStatements!, many: many.extensions!.sqlStatements! };
    expect(cost.many).toBe(cost.few);
    // 1 search + per kind one findMany and one query per relation level selected: 20 here
    expect(cost.many).toBeLessThanOrEqual(20);
  });
});

describe('indexes', () => {
  it('the search statement reads every table through its GIN index', async () => {
    const prisma = gateway.db.prisma;
    // On the seed's few rows a scan of the primary key, filtered, costs about as much as the GIN
    // index: both are turned off to see whether the GIN indexes can serve every condition.
    const [, , plan] = await prisma.$transaction([
      prisma.$executeRaw`SET LOCAL enable_seqscan = off`,
      prisma.$executeRaw`SET LOCAL enable_indexscan = off`,
      prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN ${searchSql({ query: 'Gwadar', first: 20 })}`),
    ]);
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    for (const index of [
      'Statement_searchDocument_idx',
      'Incident_searchDocument_idx',
      'Organisation_searchDocument_idx',
      'Official_searchDocument_idx',
      'OfficialRole_searchDocument_idx',
      'Place_searchDocument_idx',
    ]) {
      expect(text).toMatch(new RegExp(`Bitmap Index Scan on "?${index}"?`));
    }
  });
});
