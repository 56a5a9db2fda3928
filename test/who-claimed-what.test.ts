// What a journalist asks of the seed article, over HTTP: who claimed which figures, how they
// changed, and through whom they reached the reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMANT, claimantName, startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(() => gateway.close());

async function incidentId(kind: string): Promise<string> {
  const result = await gateway.data(`query($kinds: [IncidentKind!]) { incidents(filter: { kinds: $kinds }) { edges { node { id } } } }`, {
    kinds: [kind],
  });
  expect(result.incidents.edges).toHaveLength(1);
  return result.incidents.edges[0].node.id;
}

describe('who claimed which figures in the Balochistan attacks of 31 January 2026', () => {
  it("lists every claimant's current figures side by side, as said", async () => {
    const id = await incidentId('COORDINATED_ATTACK');
    const { node } = await gateway.data(
      `query($id: ID!) { node(id: $id) { ... on Incident {
          title startedAt subIncidents { title }
          claimantFigures { ${CLAIMANT} figures { metric side victimDescription quantity { kind low high phrase } } }
      } } }`,
      { id },
    );
    expect(node.startedAt).toBe('2026-01-31T00:00:00.000Z');
    expect(node.subIncidents.length).toBeGreaterThanOrEqual(4);
    const byClaimant = Object.fromEntries(node.claimantFigures.map((group: any) => [claimantName(group.claimant), group.figures]));

    // Officials: "at least 67" is a lower bound, "some 10" an approximation — not invented precision.
    expect(byClaimant['security officials']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          metric: 'KILLED',
          side: 'NON_STATE_ARMED_GROUP',
          quantity: { kind: 'AT_LEAST', low: 67, high: null, phrase: 'at least 67' },
        }),
        expect.objectContaining({
          side: 'STATE_FORCES',
          victimDescription: 'police and security personnel',
          quantity: expect.objectContaining({ kind: 'APPROXIMATE', low: 10, phrase: 'some 10' }),
        }),
        expect.objectContaining({ side: 'CIVILIAN', quantity: expect.objectContaining({ kind: 'EXACT', low: 11, high: 11 }) }),
      ]),
    );
    // The armed group counts the same side: 84 security personnel.
    expect(byClaimant['Baloch Liberation Army']).toEqual([
      expect.objectContaining({ metric: 'KILLED', side: 'STATE_FORCES', quantity: expect.objectContaining({ kind: 'EXACT', low: 84 }) }),
    ]);
    // "dozens" stays a word.
    expect(byClaimant['Mohsin Naqvi']).toEqual([expect.objectContaining({ quantity: { kind: 'UNQUANTIFIED', low: null, high: null, phrase: 'dozens' } })]);
    // The Gwadar toll counts only in its revised form; the 41 militants of the day before never appear.
    const allPhrases = node.claimantFigures.flatMap((group: any) => group.figures.map((f: any) => f.quantity.low));
    expect(allPhrases).not.toContain(5);
    expect(allPhrases).not.toContain(41);
    expect(byClaimant['Atta-ur-Rehman'].map((f: any) => f.quantity.low).sort()).toEqual([11, 6]);
  });

  it('shows the Gwadar toll revised from five to 11, with its breakdown; the old figure is kept', async () => {
    const { figures } = await gateway.data(`{
      figures(filter: { current: true, metrics: [KILLED], victimCategories: [PEOPLE] }) { edges { node {
        quantity { low phrase } isCurrent breakdown { label count } place { name }
        supersedes { quantity { low phrase } isCurrent supersededBy { quantity { low } } }
        revisionHistory { quantity { low } }
        ${CLAIMANT}
      } } } }`);
    expect(figures.edges).toHaveLength(1);
    const gwadar = figures.edges[0].node;
    expect(gwadar).toMatchObject({
      quantity: { low: 11 },
      isCurrent: true,
      place: { name: 'Gwadar' },
      breakdown: [
        { label: 'men', count: 5 },
        { label: 'women', count: 3 },
        { label: 'children', count: 3 },
      ],
      supersedes: { quantity: { low: 5 }, isCurrent: false, supersededBy: { quantity: { low: 11 } } },
      revisionHistory: [{ quantity: { low: 5 } }],
    });
    expect(claimantName(gwadar.claimant)).toBe('Atta-ur-Rehman');

    const superseded = await gateway.data(`{ figures(filter: { current: false }) { totalCount edges { node { quantity { low } } } } }`);
    expect(superseded.figures.totalCount).toBe(1);
    expect(superseded.figures.edges[0].node.quantity.low).toBe(5);
  });

  it("keeps the Noshki administrator's video as unverified, with the chain that carried it", async () => {
    const { statements } = await gateway.data(`{ statements(filter: { verification: [UNVERIFIED] }) { edges { node {
      kind verification verificationNote verifiedBy { name } ${CLAIMANT}
      claimant { ... on Official { reportedName description roles { title place { name } } } }
      sourceChain { position source { kind publisher { name } } }
      incidents { kind places { name } }
    } } } }`);
    expect(statements.edges).toHaveLength(1);
    const video = statements.edges[0].node;
    expect(video.verifiedBy.name).toBe('Reuters');
    expect(video.verificationNote).toContain('could not independently verify');
    // Known only by role: no invented name; `name` is what the reporting calls him.
    expect(video.claimant).toMatchObject({ reportedName: null, name: video.claimant.description, claimantKind: 'OFFICIAL' });
    expect(video.claimant.roles[0].place.name).toBe('Noshki');
    expect(video.sourceChain.map((link: any) => link.source.kind)).toEqual(['NEWS_ARTICLE', 'NEWS_AGENCY_REPORT', 'SOCIAL_MEDIA_VIDEO']);
    expect(video.incidents[0].kind).toBe('ABDUCTION');
  });

  it('traces "security officials" to the reader through Reuters and The Indian Express', async () => {
    const { statements } = await gateway.data(`{ statements(filter: { claimantKinds: [UNNAMED_GROUP], kinds: [CASUALTY_REPORT] }) { edges { node {
      claimantDescription sourceChain { position source { publisher { name } } }
    } } } }`);
    const officials = statements.edges.map((edge: any) => edge.node).find((s: any) => s.claimantDescription === 'security officials');
    expect(officials.sourceChain.map((link: any) => link.source.publisher?.name)).toEqual(['The Indian Express', 'Reuters']);
  });

  it("keeps the military's 41 militants of 30 January on a separate incident", async () => {
    const { figures } = await gateway.data(`{ figures(filter: { claimedBetween: { from: "2026-01-30", to: "2026-01-30" } }) { edges { node {
      quantity { low } statement { madeAt } incident { kind parent { title } } ${CLAIMANT}
    } } } }`);
    expect(figures.edges).toHaveLength(1);
    expect(figures.edges[0].node).toMatchObject({
      quantity: { low: 41 },
      statement: { madeAt: '2026-01-30T00:00:00.000Z' },
      incident: { kind: 'SECURITY_OPERATION', parent: null },
    });
  });
});

describe('filters', () => {
  it('finds figures at a place including the places inside it', async () => {
    const { places } = await gateway.data(`{ places { edges { node { id name } } } }`);
    const place = (name: string) => places.edges.find((edge: any) => edge.node.name === name).node.id;
    const count = async (placeId: string) =>
      (await gateway.data(`query($p: ID!) { figures(filter: { place: $p }) { totalCount } }`, { p: placeId })).figures.totalCount;
    const gwadar = await count(place('Gwadar'));
    const balochistan = await count(place('Balochistan'));
    expect(gwadar).toBe(3); // 11 people, the five they revised, and six militants
    expect(balochistan).toBeGreaterThan(gwadar);
  });

  it('narrows figures by side and metric, the basis for comparing claimants', async () => {
    const { figures } = await gateway.data(
      `{ figures(filter: { sides: [STATE_FORCES], metrics: [KILLED] }) { edges { node { quantity { phrase } ${CLAIMANT} } } } }`,
    );
    const said = figures.edges.map((edge: any) => `${claimantName(edge.node.claimant)}: ${edge.node.quantity.phrase}`).sort();
    expect(said).toEqual(['Baloch Liberation Army: 84', 'security officials: some 10']);
  });

  it('finds organisations by abbreviation, and their claims', async () => {
    const { organisations } = await gateway.data(
      `{ organisations(filter: { name: "bla" }) { edges { node { name aliases notes statements { totalCount edges { node { kind } } } } } } }`,
    );
    expect(organisations.edges).toHaveLength(1);
    expect(organisations.edges[0].node).toMatchObject({ name: 'Baloch Liberation Army', aliases: ['BLA'] });
    expect(organisations.edges[0].node.statements.edges.map((edge: any) => edge.node.kind)).toContain('RESPONSIBILITY_CLAIM');
  });

  it('finds incidents at a place and by participant organisation', async () => {
    const { places, organisations } = await gateway.data(`{
      places(filter: { kinds: [CITY] }) { edges { node { id name } } }
      organisations(filter: { name: "Baloch Liberation Army" }) { edges { node { id } } } }`);
    const quetta = places.edges.find((edge: any) => edge.node.name === 'Quetta').node.id;
    const inQuetta = await gateway.data(`query($p: ID!) { incidents(filter: { place: $p }) { edges { node { kind } } } }`, { p: quetta });
    expect(inQuetta.incidents.edges.map((edge: any) => edge.node.kind)).toEqual(expect.arrayContaining(['BLOCKADE', 'EXPLOSION']));
    const bla = organisations.edges[0].node.id;
    const byBla = await gateway.data(`query($o: ID!) { incidents(filter: { organisation: $o, topLevelOnly: true }) { edges { node { kind } } } }`, { o: bla });
    expect(byBla.incidents.edges.map((edge: any) => edge.node.kind)).toEqual(['COORDINATED_ATTACK']);
  });
});

describe('pagination', () => {
  it('walks every figure forwards and backwards with cursors, matching totalCount', async () => {
    const page = `query($after: String, $before: String, $first: Int, $last: Int) {
      figures(first: $first, after: $after, last: $last, before: $before) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (;;) {
      const { figures }: any = await gateway.data(page, { first: 3, after });
      totalCount = figures.totalCount;
      seen.push(...figures.edges.map((edge: any) => edge.node.id));
      if (!figures.pageInfo.hasNextPage) break;
      after = figures.pageInfo.endCursor;
    }
    expect(totalCount).toBe(9); // every figure the article gives, the superseded Gwadar toll included
    expect(seen).toHaveLength(totalCount);
    expect(new Set(seen).size).toBe(totalCount);

    const lastTwo = await gateway.data(page, { last: 2 });
    expect(lastTwo.figures.edges.map((edge: any) => edge.node.id)).toEqual(seen.slice(-2));
    const beforeThose = await gateway.data(page, { last: 2, before: lastTwo.figures.pageInfo.startCursor });
    expect(beforeThose.figures.edges.map((edge: any) => edge.node.id)).toEqual(seen.slice(-4, -2));
  });

  it('pages incidents newest first without repeating or skipping any', async () => {
    const page = `query($after: String) { incidents(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id startedAt } } } }`;
    const seen: { id: string; startedAt: string | null }[] = [];
    let after: string | null = null;
    let totalCount = 0;
    do {
      const { incidents }: any = await gateway.data(page, { after });
      totalCount = incidents.totalCount;
      seen.push(...incidents.edges.map((edge: any) => edge.node));
      after = incidents.pageInfo.hasNextPage ? incidents.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen.map((incident) => incident.id)).size).toBe(totalCount);
    expect(seen).toHaveLength(totalCount);
    const dates = seen.map((incident) => incident.startedAt ?? '');
    expect(dates.filter(Boolean)).toEqual([...dates.filter(Boolean)].sort().reverse());
  });
});

describe('global IDs and bad input', () => {
  it('fetches any object again by its global ID', async () => {
    const { organisations } = await gateway.data(`{ organisations(first: 2) { edges { node { id name } } } }`);
    const ids = organisations.edges.map((edge: any) => edge.node.id);
    const { nodes } = await gateway.data(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Organisation { name } } }`, { ids });
    expect(nodes).toEqual(organisations.edges.map((edge: any) => edge.node));
  });

  it('answers a malformed ID with a clear error', async () => {
    const response = await gateway.graphql(`{ node(id: "not-an-id") { id } }`);
    expect(response.errors?.[0]?.message).toMatch(/invalid global id/i);
  });

  it('refuses an ID of the wrong type in a filter, naming the expected type', async () => {
    const { organisations } = await gateway.data(`{ organisations(first: 1) { edges { node { id } } } }`);
    const response = await gateway.graphql(`query($p: ID!) { figures(filter: { place: $p }) { totalCount } }`, {
      p: organisations.edges[0].node.id,
    });
    expect(response.errors?.[0]).toMatchObject({
      message: 'filter.place: must be the ID of a Place; this is the ID of an Organisation',
      extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'filter.place', code: 'WRONG_ID_TYPE' }] },
    });
  });

  it('refuses a malformed date, naming the expected format', async () => {
    const response = await gateway.graphql(`{ figures(filter: { claimedBetween: { from: "31/01/2026" } }) { totalCount } }`);
    expect(response.errors?.[0]?.message).toMatch(/^filter\.claimedBetween\.from: must be a date \("2026-01-31"\).* or a date-time with a time zone/);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ field: 'filter.claimedBetween.from', code: 'NOT_A_DATE' }] });
  });

  it('refuses queries nested deeper than the limit', async () => {
    let selection = 'name';
    for (let level = 0; level < 15; level++) selection = `parent { ${selection} }`;
    const response = await gateway.graphql(`{ places { edges { node { ${selection} } } } }`);
    expect(response.errors?.[0]?.message).toMatch(/depth/i);
  });
});

describe('cost in SQL statements', () => {
  // Forty statements of the same shape (a source chain, an incident at a place, a figure that
  // revises an earlier one, a breakdown), so that pages of any size hold the same kinds of data.
  let organisationId: string;
  beforeAll(async () => {
    const prisma = gateway.db.prisma;
    const org = await prisma.organisation.create({ data: { name: 'Fixture monitoring group', kind: 'NGO' } });
    const place = await prisma.place.create({ data: { name: 'Fixture district', kind: 'DISTRICT' } });
    const source = await prisma.source.create({ data: { description: 'Fixture bulletin', kind: 'OTHER', publisherId: org.id } });
    for (let n = 0; n < 40; n++) {
      const incident = await prisma.incident.create({
        data: { title: `Fixture incident ${n}`, kind: 'CLASH', places: { create: { placeId: place.id } } },
      });
      const figure = {
        metric: 'KILLED',
        victimCategory: 'PEOPLE',
        side: 'UNSPECIFIED',
        victimDescription: 'people',
        quantityKind: 'EXACT',
        placeId: place.id,
        incidentId: incident.id,
      } as const;
      const first = await prisma.statement.create({
        data: {
          kind: 'CASUALTY_REPORT',
          claimantKind: 'ORGANISATION',
          organisationId: org.id,
          claimantDescription: 'the group',
          text: `First count ${n}`,
          figures: { create: { ...figure, low: n, high: n, phrase: `${n}` } },
        },
        include: { figures: true },
      });
      await prisma.statement.create({
        data: {
          kind: 'CASUALTY_REPORT',
          claimantKind: 'ORGANISATION',
          organisationId: org.id,
          claimantDescription: 'the group',
          text: `Revised count ${n}`,
          sources: { create: [{ position: 0, sourceId: source.id }] },
          incidents: { create: { incidentId: incident.id } },
          figures: {
            create: {
              ...figure,
              low: n + 1,
              high: n + 1,
              phrase: `${n + 1}`,
              supersedesId: first.figures[0]!.id,
              breakdown: { create: [{ label: 'adults', count: n + 1 }] },
            },
          },
        },
      });
    }
    organisationId = (await gateway.data(`{ organisations(filter: { name: "Fixture monitoring group" }) { edges { node { id } } } }`)).organisations.edges[0]
      .node.id;
  });

  const nested = `query($first: Int, $org: ID!) { statements(first: $first, filter: { organisation: $org }) { totalCount edges { node {
    ${CLAIMANT} text sourceChain { source { description publisher { name } } }
    incidents { title places { name parent { name } } }
    figures { quantity { phrase } place { name } breakdown { label } revisionHistory { quantity { phrase } statement { text } } }
  } } } }`;

  it('does not grow with the page size', async () => {
    const small = await gateway.graphql(nested, { first: 2, org: organisationId });
    const large = await gateway.graphql(nested, { first: 80, org: organisationId });
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(small.data.statements.edges).toHaveLength(2);
    expect(large.data.statements.edges).toHaveLength(80);
    expect(small.extensions?.sqlStatements).toBeGreaterThan(0);
    expect(large.extensions?.sqlStatements).toBe(small.extensions?.sqlStatements);
  });
});

describe('the service', () => {
  it('answers health and readiness', async () => {
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });
});
