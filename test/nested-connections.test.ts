// Long lists inside an object are pages too: an incident's statements, what an organisation
// published, took part in and was counted in, an official's participations, the list of
// disagreements, and a claimant's track record. Each is walked with `first`/`after` (every item once, in order, retracted ones
// only when asked), and a page of parents costs the same SQL statements whatever its size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildStandings } from '../src/claims/standing-positions.js';
import { startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;

/** The fixtures' day: nothing in the seed happened on it. */
const DAY = '2030-05-04';

beforeAll(async () => {
  gateway = await startGateway();
  const prisma = gateway.db.prisma;
  // Four organisations, each publishing three sources, taking part in three incidents and
  // counted in three figures; and an incident with five statements, one retracted.
  const talked = await prisma.incident.create({ data: { title: 'Fixture much-discussed clash', kind: 'CLASH', startedAt: new Date(`${DAY}T00:00:00Z`) } });
  for (let n = 0; n < 5; n++) {
    await prisma.statement.create({
      data: {
        kind: 'SITUATION_REPORT',
        claimantKind: 'UNNAMED_GROUP',
        claimantDescription: `fixture witness ${n}`,
        text: `Fixture account ${n}`,
        retractedAt: n === 2 ? new Date('2030-05-05T00:00:00Z') : null,
        retractionReason: n === 2 ? 'Fixture withdrawal' : null,
        incidents: { create: { incidentId: talked.id } },
      },
    });
  }
  const official = await prisma.official.create({ data: { description: 'a fixture district officer' } });
  for (let o = 0; o < 4; o++) {
    const org = await prisma.organisation.create({ data: { name: `Fixture group ${o}`, kind: 'NGO' } });
    for (let n = 0; n < 3; n++) {
      await prisma.source.create({ data: { description: `Fixture bulletin ${o}.${n}`, kind: 'OTHER', publisherId: org.id } });
      const incident = await prisma.incident.create({ data: { title: `Fixture incident ${o}.${n}`, kind: 'CLASH' } });
      await prisma.incidentParticipant.create({ data: { incidentId: incident.id, role: 'TARGET', description: 'the group', organisationId: org.id } });
      await prisma.incidentParticipant.create({ data: { incidentId: incident.id, role: 'VICTIM', description: 'the officer', officialId: official.id } });
      await prisma.statement.create({
        data: {
          kind: 'CASUALTY_REPORT',
          claimantKind: 'UNNAMED_GROUP',
          claimantDescription: 'fixture residents',
          text: `Fixture toll ${o}.${n}`,
          figures: {
            create: {
              metric: 'INJURED',
              victimCategory: 'PEOPLE',
              side: 'UNSPECIFIED',
              victimDescription: 'members',
              quantityKind: 'EXACT',
              low: n,
              high: n,
              phrase: `${n}`,
              countedOrganisationId: org.id,
              incidentId: incident.id,
            },
          },
        },
      });
    }
  }
  // Disagreements that tie: on three incidents of DAY two claimants say 2 and 4 (ratio 2), on
  // two more both give only floors (no ratio).
  const claim = (incidentId: number, claimant: string, quantity: { quantityKind: 'EXACT' | 'AT_LEAST'; low: number; high: number | null }) =>
    prisma.statement.create({
      data: {
        kind: 'CASUALTY_REPORT',
        claimantKind: 'UNNAMED_GROUP',
        claimantDescription: claimant,
        text: `${claimant}: ${quantity.low}`,
        incidents: { create: { incidentId } },
        figures: {
          create: {
            metric: 'KILLED',
            victimCategory: 'CIVILIANS',
            side: 'CIVILIAN',
            victimDescription: 'villagers',
            incidentId,
            phrase: String(quantity.low),
            ...quantity,
          },
        },
      },
    });
  for (let n = 0; n < 5; n++) {
    const incident = await prisma.incident.create({
      data: { title: `Fixture disputed attack ${n}`, kind: 'ARMED_ATTACK', startedAt: new Date(`${DAY}T00:00:00Z`) },
    });
    const open = n >= 3;
    await claim(incident.id, 'fixture police', open ? { quantityKind: 'AT_LEAST', low: 2, high: null } : { quantityKind: 'EXACT', low: 2, high: 2 });
    await claim(incident.id, 'fixture residents', open ? { quantityKind: 'AT_LEAST', low: 4, high: null } : { quantityKind: 'EXACT', low: 4, high: 4 });
  }
  // A group's track record over seven incidents: the five disputed attacks of DAY, one later
  // (where the police give a higher number) and one undated. It counts soldiers, not the
  // villagers of the disagreements above.
  const group = await prisma.organisation.create({ data: { name: 'Fixture claiming group', kind: 'ARMED_GROUP' } });
  const later = await prisma.incident.create({ data: { title: 'Fixture later attack', kind: 'ARMED_ATTACK', startedAt: new Date('2030-05-09T00:00:00Z') } });
  const undated = await prisma.incident.create({ data: { title: 'Fixture undated attack', kind: 'ARMED_ATTACK' } });
  const attacks = await prisma.incident.findMany({ where: { title: { startsWith: 'Fixture disputed attack' } } });
  const soldiers = (
    incidentId: number,
    claimant: { claimantKind: 'ORGANISATION' | 'UNNAMED_GROUP'; organisationId?: number; claimantDescription: string },
    n: number,
  ) =>
    prisma.statement.create({
      data: {
        kind: 'CASUALTY_REPORT',
        ...claimant,
        text: `${n} soldiers.`,
        incidents: { create: { incidentId } },
        figures: {
          create: {
            metric: 'KILLED',
            victimCategory: 'SOLDIERS',
            side: 'STATE_FORCES',
            victimDescription: 'soldiers',
            incidentId,
            phrase: String(n),
            quantityKind: 'EXACT',
            low: n,
            high: n,
          },
        },
      },
    });
  for (const incident of [...attacks, later, undated]) {
    await soldiers(incident.id, { claimantKind: 'ORGANISATION', organisationId: group.id, claimantDescription: 'a spokesman' }, 3);
  }
  await soldiers(later.id, { claimantKind: 'UNNAMED_GROUP', claimantDescription: 'fixture police' }, 6);
  // The fixtures are written directly, not through the writes that keep the standing positions.
  await rebuildStandings(prisma);
});
afterAll(() => gateway.close());

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: any }[];
}

/** Every item of a list, `size` at a time; `read(after)` answers one page. */
async function walk(read: (after: string | null) => Promise<Page>): Promise<{ nodes: any[]; totalCounts: number[] }> {
  const nodes: any[] = [];
  const totalCounts: number[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page: Page = await read(after);
    nodes.push(...page.edges.map((edge) => edge.node));
    totalCounts.push(page.totalCount);
    if (!page.pageInfo.hasNextPage) return { nodes, totalCounts };
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    after = page.pageInfo.endCursor;
  }
  throw new Error('the list never ended');
}

const PAGE = 'totalCount pageInfo { hasNextPage endCursor } edges { cursor node';

async function incidentNamed(title: string): Promise<string> {
  const { search } = await gateway.data(
    `query($q: String!) { search(query: $q, kinds: [INCIDENT], first: 1) { edges { node { ... on Incident { id title } } } } }`,
    { q: title },
  );
  expect(search.edges[0].node.title).toBe(title);
  return search.edges[0].node.id;
}

describe("an incident's statements, page by page", () => {
  const statements = (extra: string) => `query($id: ID!, $after: String) { node(id: $id) { ... on Incident {
    statements(first: 2, after: $after${extra}) { ${PAGE} { text retractedAt } } } } } }`;

  it('gives every statement once, oldest first, and the retracted one only when asked', async () => {
    const id = await incidentNamed('Fixture much-discussed clash');
    const read = (extra: string) => (after: string | null) => gateway.data(statements(extra), { id, after }).then((data) => data.node.statements);
    const current = await walk(read(''));
    expect(current.nodes.map((s) => s.text)).toEqual(['Fixture account 0', 'Fixture account 1', 'Fixture account 3', 'Fixture account 4']);
    expect(new Set(current.totalCounts)).toEqual(new Set([4]));
    const all = await walk(read(', includeRetracted: true'));
    expect(all.nodes.map((s) => s.text)).toEqual(['Fixture account 0', 'Fixture account 1', 'Fixture account 2', 'Fixture account 3', 'Fixture account 4']);
    expect(new Set(all.totalCounts)).toEqual(new Set([5]));
  });

  it('loads the statements of a page of incidents in the same SQL statements for 2 incidents as for 50', async () => {
    const query = (first: number) =>
      `{ incidents(first: ${first}) { edges { node { title statements(first: 3) { totalCount edges { node { text claimantDescription figures { quantity { phrase } } } } } } } } }`;
    const small = await gateway.graphql(query(2));
    const large = await gateway.graphql(query(50));
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    const withStatements = large.data.incidents.edges.filter((edge: any) => edge.node.statements.totalCount > 0);
    expect(withStatements.length).toBeGreaterThan(5);
    expect(large.extensions!.sqlStatements).toBe(small.extensions!.sqlStatements);
  });
});

describe("an organisation's and an official's lists, page by page", () => {
  const lists = `publishedSources(first: 2, after: $after) { ${PAGE} { description } } }
    participations(first: 2, after: $after) { ${PAGE} { role incident { title } } } }
    countedInFigures(first: 2, after: $after) { ${PAGE} { quantity { phrase } } } }`;

  it('walks what a group published, took part in and was counted in, each item once in the order recorded', async () => {
    const { organisations } = await gateway.data(`{ organisations(filter: { name: "Fixture group 1" }) { edges { node { id } } } }`);
    const id = organisations.edges[0].node.id;
    const read = (list: string) => (after: string | null) =>
      gateway.data(`query($id: ID!, $after: String) { node(id: $id) { ... on Organisation { ${lists} } } }`, { id, after }).then((data) => data.node[list]);
    const sources = await walk(read('publishedSources'));
    expect(sources.nodes.map((s) => s.description)).toEqual(['Fixture bulletin 1.0', 'Fixture bulletin 1.1', 'Fixture bulletin 1.2']);
    expect(sources.totalCounts).toEqual([3, 3]);
    const participations = await walk(read('participations'));
    expect(participations.nodes.map((p) => p.incident.title)).toEqual(['Fixture incident 1.0', 'Fixture incident 1.1', 'Fixture incident 1.2']);
    const counted = await walk(read('countedInFigures'));
    expect(counted.nodes.map((f) => f.quantity.phrase)).toEqual(['0', '1', '2']);
  });

  it("walks an official's participations", async () => {
    const { search } = await gateway.data(
      `{ search(query: "fixture district officer", kinds: [OFFICIAL], first: 1) { edges { node { ... on Official { id } } } } }`,
    );
    const id = search.edges[0].node.id;
    const read = (after: string | null) =>
      gateway
        .data(
          `query($id: ID!, $after: String) { node(id: $id) { ... on Official { participations(first: 5, after: $after) { ${PAGE} { incident { title } } } } } } }`,
          { id, after },
        )
        .then((data) => data.node.participations);
    const { nodes, totalCounts } = await walk(read);
    expect(nodes).toHaveLength(12);
    expect(new Set(nodes.map((p) => p.incident.title)).size).toBe(12);
    expect(totalCounts).toEqual([12, 12, 12]);
  });

  it('loads the lists of a page of organisations in the same SQL statements for 2 organisations as for 40', async () => {
    const query = (first: number) => `query($after: String) { organisations(first: ${first}) { edges { node { name ${lists} } } } }`;
    const small = await gateway.graphql(query(2));
    const large = await gateway.graphql(query(40));
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(large.data.organisations.edges.filter((edge: any) => edge.node.publishedSources.totalCount > 0).length).toBeGreaterThan(4);
    expect(large.extensions!.sqlStatements).toBe(small.extensions!.sqlStatements);
  });
});

describe('the disagreements, page by page', () => {
  const DISCREPANCIES = `query($after: String, $first: Int, $between: DateRange) { discrepancies(first: $first, after: $after, filter: { between: $between }) {
    ${PAGE} { incident { title } metric side ratio } } } }`;
  const read = (first: number, between?: unknown) => (after: string | null) =>
    gateway.data(DISCREPANCIES, { first, after, between }).then((data) => data.discrepancies);
  const key = (d: any) => `${d.incident.title}/${d.metric}/${d.side}`;

  it('walks tied ratios one at a time: every disagreement once, ties by incident, no ratio last', async () => {
    const between = { from: DAY, to: DAY };
    const { nodes, totalCounts } = await walk(read(1, between));
    expect(nodes.map((d) => [d.incident.title, d.ratio])).toEqual([
      ['Fixture disputed attack 0', 2],
      ['Fixture disputed attack 1', 2],
      ['Fixture disputed attack 2', 2],
      ['Fixture disputed attack 3', null],
      ['Fixture disputed attack 4', null],
    ]);
    expect(new Set(totalCounts)).toEqual(new Set([5]));
  });

  it('pages through the whole list in the order of one long page', async () => {
    const whole = await read(100)(null);
    expect(whole.pageInfo.hasNextPage).toBe(false);
    expect(whole.totalCount).toBe(whole.edges.length);
    const paged = await walk(read(2));
    expect(paged.nodes.map(key)).toEqual(whole.edges.map((edge: Page['edges'][number]) => key(edge.node)));
    // A page after the last one is empty, and still says how long the list is.
    const after = await read(5)(whole.pageInfo.endCursor);
    expect(after).toMatchObject({ totalCount: whole.totalCount, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('refuses a cursor it did not issue, naming the argument', async () => {
    const response = await gateway.graphql(DISCREPANCIES, { first: 2, after: 'not-a-cursor' });
    expect(response.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^after: .* is not a discrepancies cursor/),
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
  });
});

describe("a claimant's track record, page by page", () => {
  const ENTRIES = `query($after: String, $first: Int, $asOf: DateTime) { organisations(filter: { name: "Fixture claiming group" }) { edges { node {
    trackRecord(asOf: $asOf) { summary { comparisons lower } entries(first: $first, after: $after) { ${PAGE} { relation ratio comparison { incident { title } } } } } } } } } }`;
  const read = (first: number, asOf?: string) => (after: string | null) =>
    gateway.data(ENTRIES, { first, after, asOf }).then((data) => data.organisations.edges[0].node.trackRecord.entries);

  it('lists the newest incident first, ties by the most recently recorded, undated last, every entry once', async () => {
    const { nodes, totalCounts } = await walk(read(2));
    expect(nodes.map((entry) => entry.comparison.incident.title)).toEqual([
      'Fixture later attack',
      'Fixture disputed attack 4',
      'Fixture disputed attack 3',
      'Fixture disputed attack 2',
      'Fixture disputed attack 1',
      'Fixture disputed attack 0',
      'Fixture undated attack',
    ]);
    expect(nodes.map((entry) => [entry.relation, entry.ratio])).toEqual([['LOWER', 0.5], ...Array(6).fill(['NO_COMPARISON', null])]);
    expect(new Set(totalCounts)).toEqual(new Set([7]));
  });

  it('pages a past moment the same way, recomputed', async () => {
    const now = await walk(read(3));
    expect(await walk(read(3, '2100-01-01T00:00:00Z'))).toEqual(now);
    expect(await read(1, '2000-01-01T00:00:00Z')(null)).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('refuses a cursor it did not issue, naming the argument', async () => {
    const response = await gateway.graphql(ENTRIES, { first: 2, after: 'not-a-cursor' });
    expect(response.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^after: .* is not a track record cursor/),
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
  });
});
