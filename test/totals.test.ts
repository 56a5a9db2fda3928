// Totals over many incidents, over HTTP: ranges add as ranges, open bounds stay open, "dozens"
// is never a number unless asked for (and then named), a sub-incident is never counted again
// inside its parent, a claimant who counted only parts gives a floor, sides are never added, and
// competing claimants are kept apart or combined, never added.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standingWhere } from '../src/claims/filters.js';
import { standingFigureIds } from '../src/claims/standing.js';
import { CLAIMANT, claimantName, startGateway, type TestGateway, idByExternalId } from './support/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(() => gateway.close());

const globalId = (typename: string, id: number) => Buffer.from(`${typename}:${id}`).toString('base64');

async function totals(input: Record<string, unknown>, selection = '') {
  const response = await gateway.graphql(
    `query($input: FigureTotalsInput!) { figureTotals(input: $input) {
      side periodStart low high exact approximate includesUnquantified figureCount incidentCount
      ${selection}
    } }`,
    { input },
  );
  expect(response.errors).toBeUndefined();
  return { rows: response.data.figureTotals as any[], sqlStatements: response.extensions?.sqlStatements };
}

const byClaimant = (rows: any[]) => Object.fromEntries(rows.map((row) => [claimantName(row.claimant), row]));
const interval = (row: any) => [row.low, row.high];

const placeId = (key: string): Promise<number> => idByExternalId(gateway.db, 'Place', `seed:${key}`);

describe('the seed article: militants killed', () => {
  const militantsOn31 = { metric: 'KILLED', sides: ['NON_STATE_ARMED_GROUP'], between: { from: '2026-01-31', to: '2026-01-31' } };

  it('keeps each claimant apart on 31 January: at least 67, "dozens" (no number), six at Gwadar (a part: at least 6)', async () => {
    const { rows } = await totals({ ...militantsOn31, groupBy: 'CLAIMANT' }, CLAIMANT);
    expect(rows).toHaveLength(3);
    const claimants = byClaimant(rows);
    expect(claimants['security officials']).toMatchObject({ low: 67, high: null, exact: false, includesUnquantified: false, figureCount: 1 });
    expect(claimants['Mohsin Naqvi']).toMatchObject({ low: null, high: null, exact: false, includesUnquantified: true });
    // The officer counted only the Gwadar camp attack, a part of the day's attacks: a floor, not the day's number.
    expect(claimants['Atta-ur-Rehman']).toMatchObject({ low: 6, high: null, exact: false, approximate: false, incidentCount: 1 });
    expect(claimants['Atta-ur-Rehman'].claimant.__typename).toBe('Official');
    // The military's 41 were claimed on 30 January for separate raids: not in 31 January.
    expect(rows.map((row) => row.low)).not.toContain(41);
    expect(rows.every((row) => row.periodStart === null)).toBe(true);
  });

  it('combines claimants of the same attacks instead of adding them (envelope, lowest, highest)', async () => {
    const envelope = await totals(militantsOn31);
    expect(envelope.rows).toEqual([
      {
        side: 'NON_STATE_ARMED_GROUP',
        periodStart: null,
        low: 6,
        high: null,
        exact: false,
        approximate: false,
        includesUnquantified: true,
        figureCount: 3,
        incidentCount: 1,
      },
    ]);
    // The lowest claim for the whole attacks is "at least 67": the officer's six at Gwadar is a floor, not a claim about the whole.
    const lowest = await totals({ ...militantsOn31, claimantCombination: 'LOWEST_CLAIM' });
    expect(lowest.rows).toMatchObject([{ low: 67, high: null, includesUnquantified: false, figureCount: 1 }]);
    const highest = await totals({ ...militantsOn31, claimantCombination: 'HIGHEST_CLAIM' });
    expect(highest.rows).toMatchObject([{ low: 67, high: null, figureCount: 1 }]);
  });

  it('takes the chosen claim whole: HIGHEST_CLAIM for state forces is the BLA\'s 84, not approximate like "some 10"', async () => {
    const stateForces = { metric: 'KILLED', sides: ['STATE_FORCES'], between: militantsOn31.between };
    expect((await totals({ ...stateForces, claimantCombination: 'HIGHEST_CLAIM' })).rows).toMatchObject([
      { low: 84, high: 84, exact: true, approximate: false, figureCount: 1 },
    ]);
    expect((await totals({ ...stateForces, claimantCombination: 'LOWEST_CLAIM' })).rows).toMatchObject([
      { low: 10, high: 10, exact: false, approximate: true, figureCount: 1 },
    ]);
    expect((await totals(stateForces)).rows).toMatchObject([{ low: 10, high: 84, approximate: true, figureCount: 2 }]);
  });

  it('never adds two sides: without `sides`, each side gets its own total', async () => {
    const { rows } = await totals({ metric: 'KILLED', between: militantsOn31.between, groupBy: 'CLAIMANT' }, CLAIMANT);
    const of = (name: string) => rows.filter((row) => claimantName(row.claimant) === name).map((row) => [row.side, row.low, row.high]);
    expect(of('Atta-ur-Rehman')).toEqual([
      ['NON_STATE_ARMED_GROUP', 6, null],
      ['UNSPECIFIED', 11, null],
    ]);
    expect(of('security officials')).toEqual([
      ['CIVILIAN', 11, 11],
      ['NON_STATE_ARMED_GROUP', 67, null],
      ['STATE_FORCES', 10, 10],
    ]);
    const overall = await totals({ metric: 'KILLED', between: militantsOn31.between });
    expect(overall.rows.map((row) => row.side)).toEqual(['CIVILIAN', 'NON_STATE_ARMED_GROUP', 'STATE_FORCES', 'UNSPECIFIED']);
  });

  it('reads "dozens" as at least 24 only when asked, and names the word', async () => {
    const query = `query($input: FigureTotalsInput!) { figureTotals(input: $input) { ${CLAIMANT} low high includesUnquantified
      impliedBounds { word impliedAtLeast reasoning figureCount } } }`;
    const implied = (await gateway.data(query, { input: { ...militantsOn31, groupBy: 'CLAIMANT', vagueWords: 'IMPLIED_BOUNDS' } })).figureTotals;
    const naqvi = byClaimant(implied)['Mohsin Naqvi'];
    expect(naqvi).toMatchObject({ low: 24, high: null, includesUnquantified: true, impliedBounds: [{ word: 'dozens', impliedAtLeast: 24, figureCount: 1 }] });
    expect(naqvi.impliedBounds[0].reasoning).toContain('two dozen');
    expect(byClaimant(implied)['security officials'].impliedBounds).toEqual([]);
    // The lowest claim for the whole attacks is then the minister's "dozens", said so.
    const [lowest] = (await gateway.data(query, { input: { ...militantsOn31, claimantCombination: 'LOWEST_CLAIM', vagueWords: 'IMPLIED_BOUNDS' } }))
      .figureTotals;
    expect(lowest).toMatchObject({ low: 24, high: null, impliedBounds: [{ word: 'dozens', impliedAtLeast: 24 }] });
    const [byDefault] = (await gateway.data(query, { input: { ...militantsOn31, claimantCombination: 'LOWEST_CLAIM' } })).figureTotals;
    expect(byDefault).toMatchObject({ low: 67, impliedBounds: [] });
  });

  it("gives each claimant's position on an incident as its total for that incident", async () => {
    const attack = { id: await idByExternalId(gateway.db, 'Incident', 'seed:balochistan-attacks') };
    const { rows } = await totals({ metric: 'KILLED', incident: globalId('Incident', attack.id), groupBy: 'CLAIMANT' }, CLAIMANT);
    const { node } = await gateway.data(
      `query($id: ID!) { node(id: $id) { ... on Incident { claimComparisons(metric: KILLED) {
      side positions { ${CLAIMANT} low high approximate exact } } } } }`,
      { id: globalId('Incident', attack.id) },
    );
    const positions = node.claimComparisons.flatMap((c: any) =>
      c.positions.map((p: any) => [c.side, claimantName(p.claimant), p.low, p.high, p.approximate, p.exact]),
    );
    expect(rows.map((row) => [row.side, claimantName(row.claimant), row.low, row.high, row.approximate, row.exact]).sort()).toEqual(positions.sort());
    // For the Gwadar camp attack itself, the officer's six is the whole: exact.
    const gwadar = { id: await idByExternalId(gateway.db, 'Incident', 'seed:gwadar-camp-attack') };
    const camp = await totals({ metric: 'KILLED', incident: globalId('Incident', gwadar.id) });
    expect(camp.rows.map((row) => [row.side, row.low, row.high, row.exact])).toEqual([
      ['NON_STATE_ARMED_GROUP', 6, 6, true],
      ['UNSPECIFIED', 11, 11, true],
    ]);
  });

  it('dates the undated raids by the statement (30 January) and totals by day and month', async () => {
    const byDay = await totals({ metric: 'KILLED', sides: ['NON_STATE_ARMED_GROUP'], groupBy: 'DAY' });
    expect(byDay.rows.map((row) => [row.periodStart, row.low, row.high, row.exact])).toEqual([
      ['2026-01-30T00:00:00.000Z', 41, 41, true],
      ['2026-01-31T00:00:00.000Z', 6, null, false],
    ]);
    // The highest claim of each incident (41; at least 67), added up: only the chosen claims' figures.
    const byMonth = await totals({ metric: 'KILLED', sides: ['NON_STATE_ARMED_GROUP'], groupBy: 'MONTH', claimantCombination: 'HIGHEST_CLAIM' });
    expect(byMonth.rows).toEqual([
      {
        side: 'NON_STATE_ARMED_GROUP',
        periodStart: '2026-01-01T00:00:00.000Z',
        low: 108,
        high: null,
        exact: false,
        approximate: false,
        includesUnquantified: false,
        figureCount: 2,
        incidentCount: 2,
      },
    ]);
    const byWeek = await totals({ metric: 'KILLED', sides: ['NON_STATE_ARMED_GROUP'], groupBy: 'WEEK' });
    expect(byWeek.rows.map((row) => row.periodStart)).toEqual(['2026-01-26T00:00:00.000Z']); // a Monday
  });

  it('totals by place inside Balochistan: Gwadar on its own, province-wide figures under Balochistan', async () => {
    const { rows } = await totals({ ...militantsOn31, groupBy: 'PLACE', place: globalId('Place', await placeId('balochistan')) }, 'place { name }');
    // Gwadar: the officer's six for the camp attack, a part of the day's attacks: at least 6 there.
    expect(rows.map((row) => [row.place.name, row.low, row.high, row.includesUnquantified])).toEqual([
      ['Balochistan', 67, null, true],
      ['Gwadar', 6, null, false],
    ]);
    const gwadarOnly = await totals({ ...militantsOn31, place: globalId('Place', await placeId('gwadar')) });
    expect(gwadarOnly.rows).toMatchObject([{ low: 6, high: null, exact: false, figureCount: 1 }]);
  });
});

// Purpose-built: INJURED figures in March 2025 (the seed has none), for one coordinated attack P
// with parts C1 (10 March) and C2 (11 March), and a separate incident Q (20 March).
describe('purpose-built incidents', () => {
  const march = { metric: 'INJURED', between: { from: '2025-03-01', to: '2025-03-31' } };
  const at = (day: string) => new Date(`2025-03-${day}T00:00:00.000Z`);
  let ids: { police: number; official: number; quetta: number; c1: number; q: number; revisedFigure: number };

  beforeAll(async () => {
    const prisma = gateway.db.prisma;
    const quetta = await placeId('quetta');
    const site = await placeId('quetta-high-security-area');
    const police = await prisma.organisation.create({ data: { name: 'Fixture police', kind: 'POLICE' } });
    const official = await prisma.official.create({ data: { name: 'Fixture Official' } });
    const incident = (title: string, day: string, place: number, parentId?: number) =>
      prisma.incident.create({
        data: { title, kind: 'ARMED_ATTACK', startedAt: at(day), parentId, places: { create: [{ placeId: place }] } },
      });
    const p = await incident('Fixture attack P', '10', quetta);
    const c1 = await incident('Fixture part C1', '10', site, p.id);
    const c2 = await incident('Fixture part C2', '11', quetta, p.id);
    const q = await incident('Fixture incident Q', '20', quetta);

    type Claimant =
      | { claimantKind: 'ORGANISATION'; organisationId: number }
      | { claimantKind: 'OFFICIAL'; officialId: number }
      | { claimantKind: 'UNNAMED_GROUP' };
    const statement = (claimant: Claimant, madeAt: Date | null, extra: { createdAt?: Date; retractedAt?: Date } = {}) =>
      prisma.statement.create({
        data: { kind: 'CASUALTY_REPORT', claimantDescription: 'fixture claimant', text: 'fixture', madeAt, ...claimant, ...extra },
      });
    const figure = (
      statementId: number,
      incidentId: number,
      quantityKind: 'EXACT' | 'APPROXIMATE' | 'AT_LEAST' | 'AT_MOST' | 'RANGE' | 'UNQUANTIFIED',
      low: number | null,
      high: number | null,
      extra: { victimCategory?: 'CIVILIANS' | 'POLICE'; supersedesId?: number; retractedAt?: Date } = {},
    ) =>
      prisma.figure.create({
        data: {
          statementId,
          incidentId,
          metric: 'INJURED',
          victimCategory: 'CIVILIANS',
          side: 'CIVILIAN',
          victimDescription: 'people',
          quantityKind,
          low,
          high,
          phrase: 'fixture',
          ...extra,
        },
      });

    const byPolice = { claimantKind: 'ORGANISATION', organisationId: police.id } as const;
    const byOfficial = { claimantKind: 'OFFICIAL', officialId: official.id } as const;
    // The police count the whole attack (20) and also part C1 (8): C1 is inside the 20.
    await figure((await statement(byPolice, at('10'))).id, p.id, 'EXACT', 20, 20);
    await figure((await statement(byPolice, at('10'))).id, c1.id, 'EXACT', 8, 8);
    // The official counts only the parts: C1 as two ranges (categories), C2 at least 4, revised to at least 9.
    const officialC1 = await statement(byOfficial, at('11'));
    await figure(officialC1.id, c1.id, 'RANGE', 3, 5);
    await figure(officialC1.id, c1.id, 'RANGE', 10, 15, { victimCategory: 'POLICE' });
    const first = await figure((await statement(byOfficial, at('12'))).id, c2.id, 'AT_LEAST', 4, null);
    const revised = await figure((await statement(byOfficial, at('15'))).id, c2.id, 'AT_LEAST', 9, null, { supersedesId: first.id });
    // Unnamed witnesses: some 12 in C2; a retracted statement's 50 in C1.
    const witnesses = { claimantKind: 'UNNAMED_GROUP' } as const;
    await figure((await statement(witnesses, at('11'))).id, c2.id, 'APPROXIMATE', 12, 12);
    await figure((await statement(witnesses, at('11'), { retractedAt: at('13') })).id, c1.id, 'EXACT', 50, 50);
    // Q: the police say at most 30, and 100 in a figure retracted on 25 March; an undated statement (recorded 14 March) says 2.
    const policeQ = await statement(byPolice, at('20'));
    await figure(policeQ.id, q.id, 'AT_MOST', null, 30);
    await figure(policeQ.id, q.id, 'EXACT', 100, 100, { retractedAt: at('25') });
    await figure((await statement(witnesses, null, { createdAt: at('14') })).id, q.id, 'EXACT', 2, 2);

    ids = { police: police.id, official: official.id, quetta, c1: c1.id, q: q.id, revisedFigure: revised.id };
  });

  it("uses a claimant's parent figure and leaves out its sub-incident figure; adds the parts of a claimant who gave only parts, as a floor", async () => {
    const { rows } = await totals({ ...march, groupBy: 'CLAIMANT' }, CLAIMANT);
    const claimants = byClaimant(rows);
    // Police: 20 for P (not 20 + 8), plus at most 30 for Q: ranges add as ranges.
    expect(claimants['Fixture police']).toMatchObject({ low: 20, high: 50, exact: false, figureCount: 2, incidentCount: 2 });
    // Official: [3,5] + [10,15] for C1 and at least 9 for C2 (the revision): open stays open.
    expect(claimants['Fixture Official']).toMatchObject({ low: 22, high: null, figureCount: 3, incidentCount: 1 });
    // Witnesses: some 12 (approximate) for P's part C2 only — at least 12 for P — and 2 for Q; the retracted 50 is left out.
    expect(claimants['fixture claimant']).toMatchObject({ low: 14, high: null, exact: false, approximate: true, figureCount: 2 });
  });

  it('adds ranges as ranges; a claimant who counted only parts of an attack gives a floor for it', async () => {
    const { rows } = await totals({ ...march, between: { from: '2025-03-10', to: '2025-03-10' }, groupBy: 'CLAIMANT' }, CLAIMANT);
    // Parts are dated by their incident (C1: 10 March), not by when the official spoke (11 March).
    // The official's two ranges for C1 add up to [13, 20]; C1 is a part of P: at least 13 for P.
    expect(rows.map((row) => [claimantName(row.claimant), row.low, row.high, row.exact])).toEqual([
      ['Fixture Official', 13, null, false],
      ['Fixture police', 20, 20, true],
    ]);
    const official = await totals({ ...march, claimantOfficials: [globalId('Official', ids.official)], between: { from: '2025-03-10', to: '2025-03-10' } });
    expect(official.rows).toMatchObject([{ low: 13, high: null, exact: false, approximate: false, figureCount: 2 }]);
    // Asked about C1 itself, the official counted the whole: the ranges add as ranges.
    const c1 = await totals({ ...march, incident: globalId('Incident', ids.c1), groupBy: 'CLAIMANT' }, CLAIMANT);
    expect(c1.rows.map((row) => [claimantName(row.claimant), row.low, row.high])).toEqual([
      ['Fixture Official', 13, 20],
      ['Fixture police', 8, 8],
    ]);
  });

  it('combines the claimants of one attack, then adds separate incidents', async () => {
    // P: police [20,20], official a floor [22,open), witnesses a floor [12,open) ~ ; Q: police [0,30], witnesses [2,2].
    const envelope = await totals(march);
    expect(envelope.rows).toEqual([
      {
        side: 'CIVILIAN',
        periodStart: null,
        low: 12,
        high: null,
        exact: false,
        approximate: true,
        includesUnquantified: false,
        figureCount: 7,
        incidentCount: 2,
      },
    ]);
    // Each tree's chosen claim, taken whole: P the police's 20 (the only claim for the whole), Q the police's "at most 30".
    const lowest = await totals({ ...march, claimantCombination: 'LOWEST_CLAIM' });
    expect(lowest.rows).toMatchObject([{ low: 20, high: 50, approximate: false, figureCount: 2 }]);
    // P the official's floor (at least 22), Q the witnesses' 2.
    const highest = await totals({ ...march, claimantCombination: 'HIGHEST_CLAIM' });
    expect(highest.rows).toMatchObject([{ low: 24, high: null, approximate: false, figureCount: 4 }]);
    const q = await totals({ ...march, between: { from: '2025-03-20', to: '2025-03-20' } });
    expect(q.rows).toMatchObject([{ low: 0, high: 30, exact: false, figureCount: 2, incidentCount: 1 }]);
  });

  it("totals by day: a part on its own day, the parent figure on the parent's day", async () => {
    const { rows } = await totals({ ...march, groupBy: 'DAY', claimantOrganisations: [globalId('Organisation', ids.police)] });
    expect(rows.map((row) => [row.periodStart, row.low, row.high])).toEqual([
      ['2025-03-10T00:00:00.000Z', 20, 20],
      ['2025-03-20T00:00:00.000Z', 0, 30],
    ]);
  });

  it('totals by place inside Quetta: the site apart, figures for Quetta as a whole under Quetta', async () => {
    const { rows } = await totals(
      { ...march, groupBy: 'PLACE', place: globalId('Place', ids.quetta), claimantOfficials: [globalId('Official', ids.official)] },
      'place { name }',
    );
    // Both are the official's counts of parts of P: floors.
    expect(rows.map((row) => [row.place.name, row.low, row.high])).toEqual([
      ['High-security area, Quetta', 13, null],
      ['Quetta', 9, null],
    ]);
  });

  it('leaves out retracted and superseded figures, and answers as of an earlier moment', async () => {
    const official = { ...march, claimantOfficials: [globalId('Official', ids.official)], between: { from: '2025-03-11', to: '2025-03-11' } };
    expect((await totals(official)).rows).toMatchObject([{ low: 9, high: null, figureCount: 1 }]);
    // Before the revision (15 March): at least 4.
    expect((await totals({ ...official, asOf: '2025-03-13' })).rows).toMatchObject([{ low: 4, high: null, figureCount: 1 }]);
    // Before the official said anything about C2.
    expect((await totals({ ...official, asOf: '2025-03-11T12:00:00Z' })).rows).toEqual([]);
    // Q on 22 March: the 100 was not yet retracted; the undated statement was recorded on 14 March.
    const q = { ...march, between: { from: '2025-03-20', to: '2025-03-20' }, groupBy: 'CLAIMANT' };
    const before = byClaimant((await totals({ ...q, asOf: '2025-03-22' }, CLAIMANT)).rows);
    expect(interval(before['Fixture police'])).toEqual([100, 130]);
    expect(interval(before['fixture claimant'])).toEqual([2, 2]);
    const now = byClaimant((await totals(q, CLAIMANT)).rows);
    expect(interval(now['Fixture police'])).toEqual([0, 30]);
    // The witnesses' statement retracted on 13 March counted on 12 March: 50 for C1 (a part of P: at least 50).
    const witnessesC1 = await totals({ ...march, between: { from: '2025-03-10', to: '2025-03-10' }, asOf: '2025-03-12', groupBy: 'CLAIMANT' }, CLAIMANT);
    expect(interval(byClaimant(witnessesC1.rows)['fixture claimant'])).toEqual([50, null]);
  });

  it('selects the same standing figures in SQL as the Prisma rule (standingWhere)', async () => {
    const prisma = gateway.db.prisma;
    const moments = [
      null,
      '2025-03-09',
      '2025-03-11T12:00:00Z',
      '2025-03-12',
      '2025-03-13',
      '2025-03-14',
      '2025-03-22',
      '2025-03-26',
      '2026-01-30',
      '2026-02-01',
    ];
    for (const moment of moments) {
      const asOf = moment ? new Date(moment) : null;
      const viaPrisma = (await prisma.figure.findMany({ where: standingWhere(asOf), select: { id: true }, orderBy: { id: 'asc' } })).map((f) => f.id);
      expect(await standingFigureIds(prisma, asOf), `asOf ${moment}`).toEqual(viaPrisma);
    }
    expect(await standingFigureIds(prisma, null)).toContain(ids.revisedFigure);
  });

  it('rejects a request without a metric, and a place ID of the wrong type', async () => {
    const missing = await gateway.graphql(`{ figureTotals(input: { groupBy: DAY }) { low } }`);
    expect(missing.errors?.[0].message).toContain('metric');
    const wrong = await gateway.graphql(`query($place: ID!) { figureTotals(input: { metric: KILLED, place: $place }) { low } }`, {
      place: globalId('Organisation', ids.police),
    });
    expect(wrong.errors?.[0].message).toContain('Place');
  });
});

describe('cost in SQL statements', () => {
  it('runs the same few statements for 5 incidents as for 200', async () => {
    const prisma = gateway.db.prisma;
    const balochistan = await placeId('balochistan');
    const places = await prisma.place.findMany({ where: { parentId: balochistan }, select: { id: true } });
    const organisations = await Promise.all([1, 2, 3].map((n) => prisma.organisation.create({ data: { name: `Cost fixture ${n}`, kind: 'OTHER' } })));
    async function addIncidents(from: number, to: number) {
      for (let n = from; n < to; n++) {
        const day = new Date(Date.UTC(2024, 0, 1 + n));
        const place = places[n % places.length].id;
        const incident = await prisma.incident.create({
          data: { title: `Cost fixture ${n}`, kind: 'CLASH', startedAt: day, places: { create: [{ placeId: place }] } },
        });
        const statement = await prisma.statement.create({
          data: {
            kind: 'CASUALTY_REPORT',
            claimantKind: 'ORGANISATION',
            organisationId: organisations[n % organisations.length].id,
            claimantDescription: 'cost fixture',
            text: 'cost fixture',
            madeAt: day,
          },
        });
        await prisma.figure.create({
          data: {
            statementId: statement.id,
            incidentId: incident.id,
            placeId: place,
            metric: 'DISPLACED',
            victimCategory: 'PEOPLE',
            side: 'CIVILIAN',
            victimDescription: 'people',
            quantityKind: n % 2 ? 'RANGE' : 'AT_LEAST',
            low: n,
            high: n % 2 ? n + 10 : null,
            phrase: 'cost fixture',
          },
        });
      }
    }
    const query = async (groupBy: string) => {
      const response = await gateway.graphql(
        `query($input: FigureTotalsInput!) { figureTotals(input: $input) {
          periodStart place { name parent { name } } ${CLAIMANT} low high figureCount incidentCount } }`,
        { input: { metric: 'DISPLACED', groupBy, place: globalId('Place', balochistan) } },
      );
      expect(response.errors).toBeUndefined();
      return { count: response.extensions!.sqlStatements!, rows: response.data.figureTotals as any[] };
    };
    const groupings = ['NONE', 'DAY', 'PLACE', 'CLAIMANT'];

    await addIncidents(0, 5);
    const small = Object.fromEntries(await Promise.all(groupings.map(async (g) => [g, await query(g)] as const)));
    await addIncidents(5, 200);
    const large = Object.fromEntries(await Promise.all(groupings.map(async (g) => [g, await query(g)] as const)));

    expect(small.DAY.rows).toHaveLength(5);
    expect(large.DAY.rows).toHaveLength(200);
    expect(large.CLAIMANT.rows).toHaveLength(3);
    expect(large.NONE.rows).toMatchObject([{ low: (199 * 200) / 2, high: null, figureCount: 200, incidentCount: 200 }]);
    for (const grouping of groupings) {
      expect(large[grouping].count, grouping).toBe(small[grouping].count);
      expect(large[grouping].count, grouping).toBeLessThanOrEqual(5);
    }
    expect(small.NONE.count).toBe(1);
  });
});
