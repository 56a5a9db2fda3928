// Questions no single-number dataset can answer: where claimants disagree, what was claimed at
// a given moment, estimates by a stated method, and each claimant's track record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareClaims } from '../src/claims/comparison.js';
import { rebuildStandings } from '../src/claims/standing-positions.js';
import { CLAIMANT, claimantName, startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(() => gateway.close());

/** The comparisons of a `discrepancies { edges { node { … } } }` answer. */
const nodes = (data: any) => data.discrepancies.edges.map((edge: any) => edge.node);

const POSITION = `${CLAIMANT} low high approximate unquantified coversWholeIncident questioned figures { quantity { phrase } }`;

async function nodeId(list: string, filter: string, match: (node: any) => boolean, fields = 'id'): Promise<string> {
  const result = await gateway.data(`{ ${list}(${filter} first: 100) { edges { node { ${fields} } } } }`);
  return result[list].edges.map((edge: any) => edge.node).find(match).id;
}

describe('comparisons over many incidents', () => {
  // A track record as of a past moment compares every tree its claimant spoke on: at a million
  // figures that is more incidents than a statement may carry parameters (32,767).
  it('take any number of incident ids', async () => {
    const incidents = await gateway.db.prisma.incident.findMany({ where: { parentId: null }, select: { id: true } });
    const ids = incidents.map((incident) => incident.id);
    const unknown = Array.from({ length: 40_000 }, (_, i) => 1_000_000_000 + i);
    const asOf = new Date('2030-01-01T00:00:00Z');
    const few = await compareClaims(gateway.db.prisma, { incidentIds: ids, asOf });
    expect(few.length).toBeGreaterThan(0);
    expect(await compareClaims(gateway.db.prisma, { incidentIds: [...ids, ...unknown], asOf })).toEqual(few);
  });
});

describe('discrepancies in the seed article', () => {
  it('puts "84 security personnel" against "some 10" as the largest disagreement of 31 January', async () => {
    const discrepancies = nodes(
      await gateway.data(`{ discrepancies(filter: { between: { from: "2026-01-31", to: "2026-01-31" } }) { edges { node {
      incident { title } metric side lowest highest ratio agreement quantifiedClaimants positions { ${POSITION} } } } } }`),
    );
    const [top] = discrepancies;
    expect(top).toMatchObject({ metric: 'KILLED', side: 'STATE_FORCES', lowest: 10, highest: 84, ratio: 8.4, agreement: 'DISAGREE' });
    expect(top.positions.map((p: any) => [claimantName(p.claimant), p.low, p.approximate])).toEqual([
      ['Baloch Liberation Army', 84, false],
      ['security officials', 10, true],
    ]);
    // Militants killed: "at least 67" and the officer's six in Gwadar (a part: open-ended) overlap;
    // "dozens" is listed but never counted.
    const militants = discrepancies.find((d: any) => d.side === 'NON_STATE_ARMED_GROUP');
    expect(militants).toMatchObject({ agreement: 'CONSISTENT', lowest: 6, highest: null, quantifiedClaimants: 2 });
    const byName = Object.fromEntries(militants.positions.map((p: any) => [claimantName(p.claimant), p]));
    expect(byName['Atta-ur-Rehman']).toMatchObject({ low: 6, high: null, coversWholeIncident: false });
    expect(byName['Mohsin Naqvi']).toMatchObject({ low: null, high: null, unquantified: true });
    // The 41 militants of 30 January belong to another incident and another day.
    expect(discrepancies.flatMap((d: any) => d.positions.map((p: any) => p.low))).not.toContain(41);
  });

  it('gives a single claimant no ratio, whatever its claim', async () => {
    const attack = await nodeId('incidents', 'filter: { kinds: [COORDINATED_ATTACK] }', () => true);
    const { node } = await gateway.data(
      `query($id: ID!) { node(id: $id) { ... on Incident { claimComparisons(metric: KILLED) {
      side ratio agreement quantifiedClaimants positions { exact } } } } }`,
      { id: attack },
    );
    const bySide = Object.fromEntries(node.claimComparisons.map((c: any) => [c.side, c]));
    // Civilians: officials' exact 11 alone; the Gwadar toll: the officer's 11 for a part alone (a floor).
    expect(bySide.CIVILIAN).toMatchObject({ ratio: null, agreement: 'SINGLE_CLAIMANT', positions: [{ exact: true }] });
    expect(bySide.UNSPECIFIED).toMatchObject({ ratio: null, agreement: 'SINGLE_CLAIMANT', positions: [{ exact: false }] });
  });

  it("never compares one side's dead with the other side's", async () => {
    const discrepancies = nodes(await gateway.data(`{ discrepancies { edges { node { side positions { ${CLAIMANT} } } } } }`));
    for (const comparison of discrepancies) {
      const sides = new Set([comparison.side]);
      expect(sides.size).toBe(1);
    }
    const state = discrepancies.find((d: any) => d.side === 'STATE_FORCES');
    expect(state.positions.map((p: any) => claimantName(p.claimant))).not.toContain('Mohsin Naqvi');
  });

  it('narrows to given claimants', async () => {
    const bla = await nodeId('organisations', 'filter: { name: "BLA" }', () => true);
    const discrepancies = nodes(
      await gateway.data(`query($orgs: [ID!]) { discrepancies(filter: { claimantOrganisations: $orgs }) { edges { node { positions { ${CLAIMANT} } } } } }`, {
        orgs: [bla],
      }),
    );
    expect(discrepancies).toEqual([]); // one claimant alone cannot disagree
  });
});

describe('estimates by a stated method', () => {
  const estimate = `query($id: ID!, $method: ReconciliationMethod!, $side: Side!) { node(id: $id) { ... on Incident {
    estimate(metric: KILLED, side: $side, method: $method) { method low high approximate
      used { ${CLAIMANT} low high } excluded { reason position { ${CLAIMANT} } } } } } }`;
  let attack: string;
  beforeAll(async () => {
    attack = await nodeId('incidents', 'filter: { kinds: [COORDINATED_ATTACK] }', () => true);
  });

  it.each([
    ['RANGE', 10, 84, ['Baloch Liberation Army', 'security officials'], []],
    ['CONSERVATIVE', 10, 10, ['security officials'], [['Baloch Liberation Army', 'NOT_LOWEST']]],
    ['OFFICIAL_ONLY', 10, 10, ['security officials'], [['Baloch Liberation Army', 'NOT_OFFICIAL']]],
    ['EXCLUDE_UNVERIFIED', 10, 84, ['Baloch Liberation Army', 'security officials'], []],
  ])('%s for state forces killed', async (method, low, high, used, excluded) => {
    const { node } = await gateway.data(estimate, { id: attack, method, side: 'STATE_FORCES' });
    expect(node.estimate).toMatchObject({ method, low, high, approximate: true });
    expect(node.estimate.used.map((p: any) => claimantName(p.claimant))).toEqual(used);
    expect(node.estimate.excluded.map((e: any) => [claimantName(e.position.claimant), e.reason])).toEqual(excluded);
  });

  it('never turns "dozens" into a number', async () => {
    const { node } = await gateway.data(estimate, { id: attack, method: 'RANGE', side: 'NON_STATE_ARMED_GROUP' });
    expect(node.estimate).toMatchObject({ low: 6, high: null });
    expect(node.estimate.excluded.map((e: any) => [claimantName(e.position.claimant), e.reason])).toEqual([['Mohsin Naqvi', 'UNQUANTIFIED']]);
  });

  it('CONSERVATIVE for militants killed is "at least 67": the officer\'s six at Gwadar is a floor for a part', async () => {
    const { node } = await gateway.data(estimate, { id: attack, method: 'CONSERVATIVE', side: 'NON_STATE_ARMED_GROUP' });
    expect(node.estimate).toMatchObject({ low: 67, high: null, approximate: false });
    expect(node.estimate.used.map((p: any) => claimantName(p.claimant))).toEqual(['security officials']);
    expect(node.estimate.excluded.map((e: any) => [claimantName(e.position.claimant), e.reason]).sort()).toEqual([
      ['Atta-ur-Rehman', 'PARTS_ONLY'],
      ['Mohsin Naqvi', 'UNQUANTIFIED'],
    ]);
  });

  it('reads "dozens" as at least 24 only when asked, and says which word implied it', async () => {
    const query = `query($id: ID!, $method: ReconciliationMethod!, $words: VagueWordReading) { node(id: $id) { ... on Incident {
      estimate(metric: KILLED, side: NON_STATE_ARMED_GROUP, method: $method, vagueWords: $words) { low high
        impliedBounds { word impliedAtLeast figureCount }
        used { ${CLAIMANT} low unquantified impliedBounds { word } } excluded { reason position { ${CLAIMANT} } } } } } }`;
    const implied = (await gateway.data(query, { id: attack, method: 'CONSERVATIVE', words: 'IMPLIED_BOUNDS' })).node.estimate;
    expect(implied).toMatchObject({ low: 24, high: null, impliedBounds: [{ word: 'dozens', impliedAtLeast: 24, figureCount: 1 }] });
    expect(implied.used).toMatchObject([{ claimant: { name: 'Mohsin Naqvi' }, low: 24, unquantified: false, impliedBounds: [{ word: 'dozens' }] }]);
    const range = (await gateway.data(query, { id: attack, method: 'RANGE', words: 'IMPLIED_BOUNDS' })).node.estimate;
    expect(range).toMatchObject({ low: 6, high: null, excluded: [] });
    const byDefault = (await gateway.data(query, { id: attack, method: 'CONSERVATIVE' })).node.estimate;
    expect(byDefault).toMatchObject({ low: 67, impliedBounds: [] });
  });
});

describe('track records', () => {
  it("shows the BLA's count higher than every other claimant's, and a word compared with nothing", async () => {
    const query = `query($name: String) { organisations(filter: { name: $name }) { edges { node {
      trackRecord { summary { comparisons higher lower equal overlapping medianRatio }
        entries { totalCount edges { node { relation ratio comparison { metric side } own { low } } } } } } } } }`;
    const bla = (await gateway.data(query, { name: 'BLA' })).organisations.edges[0].node.trackRecord;
    expect(bla.summary).toMatchObject({ comparisons: 1, higher: 1, lower: 0, medianRatio: 8.4 });
    expect(bla.entries.totalCount).toBe(1);
    expect(bla.entries.edges[0].node).toMatchObject({ relation: 'HIGHER', ratio: 8.4, comparison: { side: 'STATE_FORCES' }, own: { low: 84 } });

    const { officials } = await gateway.data(
      `{ officials { edges { node { displayName trackRecord { summary { comparisons } entries { edges { node { relation } } } } } } } }`,
    );
    const naqvi = officials.edges.find((edge: any) => edge.node.displayName === 'Mohsin Naqvi').node.trackRecord;
    expect(naqvi.entries.edges.map((e: any) => e.node.relation)).toEqual(['NO_COMPARISON']); // "dozens" compares with nothing
  });

  it('gives no ratio to a claim that overlaps the others: the officer\'s six at Gwadar is a floor, not "0.09 of 67"', async () => {
    const { officials } = await gateway.data(`{ officials { edges { node { displayName trackRecord {
      summary { medianRatio } entries { edges { node { relation ratio comparison { side } } } } } } } } }`);
    const rehman = officials.edges.find((edge: any) => edge.node.displayName === 'Atta-ur-Rehman').node.trackRecord;
    expect(rehman.entries.edges.map((e: any) => e.node).find((e: any) => e.comparison.side === 'NON_STATE_ARMED_GROUP')).toMatchObject({
      relation: 'OVERLAPPING',
      ratio: null,
    });
    expect(rehman.summary.medianRatio).toBeNull();
  });
});

describe('revision timelines', () => {
  it('shows the Gwadar toll as five, then 11, from either end', async () => {
    const { figures } = await gateway.data(`{ figures(filter: { victimCategories: [PEOPLE] }) { edges { node {
      quantity { low } isCurrent revisionTimeline { quantity { phrase } isCurrent } } } } }`);
    expect(figures.edges).toHaveLength(2);
    for (const { node } of figures.edges) {
      expect(node.revisionTimeline.map((f: any) => [f.quantity.phrase, f.isCurrent])).toEqual([
        ['five', false],
        ['11 people', true],
      ]);
    }
  });
});

describe('as of a date, on purpose-built claims', () => {
  // A raid reported three times by one ministry (12, revised to 15, then retracted) and once by
  // a monitoring group as a range; a second raid's toll inside a parent operation.
  let operation: string;
  beforeAll(async () => {
    const prisma = gateway.db.prisma;
    const ministry = await prisma.organisation.create({ data: { name: 'Fixture ministry', kind: 'GOVERNMENT_BODY' } });
    const monitor = await prisma.organisation.create({ data: { name: 'Fixture monitor', kind: 'NGO' } });
    const parent = await prisma.incident.create({ data: { title: 'Fixture operation', kind: 'SECURITY_OPERATION', startedAt: new Date('2026-03-01') } });
    const raid = await prisma.incident.create({
      data: { title: 'Fixture raid', kind: 'SECURITY_OPERATION', parentId: parent.id, startedAt: new Date('2026-03-01') },
    });
    type Quantity = { quantityKind: 'EXACT' | 'RANGE'; low: number; high: number; phrase: string };
    const claim = (
      organisationId: number,
      affiliation: 'STATE' | 'INDEPENDENT',
      madeAt: string,
      incidentId: number,
      quantity: Quantity,
      extra: { supersedesId?: number } = {},
    ) =>
      prisma.statement.create({
        data: {
          kind: 'CASUALTY_REPORT',
          claimantKind: 'ORGANISATION',
          organisationId,
          claimantAffiliation: affiliation,
          claimantDescription: 'fixture',
          text: 'fixture',
          madeAt: new Date(madeAt),
          madeAtPrecision: 'EXACT',
          incidents: { create: { incidentId } },
          figures: {
            create: { metric: 'KILLED', victimCategory: 'CIVILIANS', side: 'CIVILIAN', victimDescription: 'civilians', incidentId, ...quantity, ...extra },
          },
        },
        include: { figures: true },
      });
    const first = await claim(ministry.id, 'STATE', '2026-03-01T10:00:00Z', parent.id, { quantityKind: 'EXACT', low: 12, high: 12, phrase: '12' });
    const revised = await claim(
      ministry.id,
      'STATE',
      '2026-03-02T10:00:00Z',
      parent.id,
      { quantityKind: 'EXACT', low: 15, high: 15, phrase: '15' },
      { supersedesId: first.figures[0]!.id },
    );
    await prisma.figure.update({
      where: { id: revised.figures[0]!.id },
      data: { retractedAt: new Date('2026-03-03T10:00:00Z'), retractionReason: 'double counted' },
    });
    await claim(monitor.id, 'INDEPENDENT', '2026-03-01T12:00:00Z', raid.id, { quantityKind: 'RANGE', low: 20, high: 30, phrase: 'between 20 and 30' });
    // Written past the writes (to set the moments): the kept positions are rebuilt from the rows.
    await rebuildStandings(prisma);
    operation = await nodeId('incidents', 'filter: { kinds: [SECURITY_OPERATION] }', (n) => n.title === parent.title, 'id title');
  });

  const compare = `query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Incident {
    claimComparisons(metric: KILLED, asOf: $asOf) { lowest highest ratio agreement positions { ${CLAIMANT} low high coversWholeIncident } } } } }`;
  const at = async (asOf: string | null) => (await gateway.data(compare, { id: operation, asOf })).node.claimComparisons;

  it('answers with what was claimed and not yet revised or retracted at each moment', async () => {
    expect(await at('2026-03-01T09:00:00Z')).toEqual([]);
    const [morning] = await at('2026-03-01T11:00:00Z');
    expect(morning.positions.map((p: any) => [claimantName(p.claimant), p.low, p.high])).toEqual([['Fixture ministry', 12, 12]]);
    // The monitor counted only a part (the raid): at least 20 for the whole operation.
    const [evening] = await at('2026-03-01T13:00:00Z');
    expect(evening).toMatchObject({ agreement: 'DISAGREE', lowest: 12, highest: null, ratio: 20 / 12 });
    expect(evening.positions.find((p: any) => claimantName(p.claimant) === 'Fixture monitor')).toMatchObject({
      low: 20,
      high: null,
      coversWholeIncident: false,
    });
    const [revisedDay] = await at('2026-03-02T11:00:00Z');
    expect(revisedDay.positions.find((p: any) => claimantName(p.claimant) === 'Fixture ministry')).toMatchObject({ low: 15 });
    // Retracted on 3 March: the ministry's revision is gone, and its superseded 12 does not come back.
    const [now] = await at(null);
    expect(now.positions.map((p: any) => claimantName(p.claimant))).toEqual(['Fixture monitor']);
  });

  it('applies the same moment to figure lists', async () => {
    const count = async (asOf: string) =>
      (
        await gateway.data(
          `query($asOf: DateTime) { figures(filter: { current: true, asOf: $asOf, victimCategories: [CIVILIANS], claimedBetween: { from: "2026-03-01" } }) { edges { node { quantity { phrase } } } } }`,
          { asOf },
        )
      ).figures.edges
        .map((edge: any) => edge.node.quantity.phrase)
        .sort();
    expect(await count('2026-03-01T11:00:00Z')).toEqual(['12']);
    expect(await count('2026-03-02T11:00:00Z')).toEqual(['15', 'between 20 and 30']);
    expect(await count('2026-03-04T00:00:00Z')).toEqual(['between 20 and 30']);
  });
});

describe('cost in SQL statements', () => {
  it('runs the discrepancy list, estimates and track records in a constant number of statements', async () => {
    const small = await gateway.graphql(`{ discrepancies(first: 1) { edges { node { ratio positions { ${CLAIMANT} figures { quantity { phrase } } } } } } }`);
    const large = await gateway.graphql(`{ discrepancies(first: 100) { edges { node { ratio positions { ${CLAIMANT} figures { quantity { phrase } } } } } } }`);
    expect(large.data.discrepancies.edges.length).toBeGreaterThan(small.data.discrepancies.edges.length);
    expect(large.extensions?.sqlStatements).toBe(small.extensions?.sqlStatements);
    // The comparison (after sizing the incident tree it runs over), then the claimants and figures.
    expect(small.extensions?.sqlStatements).toBeLessThanOrEqual(6);

    const record = await gateway.graphql(`{ organisations { edges { node { trackRecord { entries { edges { node { own { ${CLAIMANT} } } } } } } } } }`);
    expect(record.errors).toBeUndefined();
    const one = await gateway.graphql(`{ organisations(first: 1) { edges { node { trackRecord { entries { edges { node { own { ${CLAIMANT} } } } } } } } } }`);
    expect(record.data.organisations.edges.length).toBeGreaterThan(5);
    expect(record.extensions?.sqlStatements).toBe(one.extensions?.sqlStatements);
  });
});
