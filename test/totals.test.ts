// Totals over many incidents, over HTTP: ranges add as ranges, open bounds stay open, "dozens"
// is never a number, a sub-incident is never counted again inside its parent, and competing
// claimants are kept apart or combined, never added.
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
      periodStart low high exact approximate includesUnquantified figureCount incidentCount
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

  it('keeps each claimant apart on 31 January: at least 67, "dozens", six at Gwadar', async () => {
    const { rows } = await totals({ ...militantsOn31, groupBy: 'CLAIMANT' }, CLAIMANT);
    expect(rows).toHaveLength(3);
    const claimants = byClaimant(rows);
    expect(claimants['security officials']).toMatchObject({ low: 67, high: null, exact: false, includesUnquantified: false, figureCount: 1 });
    expect(claimants['Mohsin Naqvi']).toMatchObject({ low: 0, high: null, exact: false, includesUnquantified: true });
    expect(claimants['Atta-ur-Rehman']).toMatchObject({ low: 6, high: 6, exact: true, approximate: false, incidentCount: 1 });
    expect(claimants['Atta-ur-Rehman'].claimant.__typename).toBe('Official');
    // The military's 41 were claimed on 30 January for separate raids: not in 31 January.
    expect(rows.map((row) => row.low)).not.toContain(41);
    expect(rows.every((row) => row.periodStart === null)).toBe(true);
  });

  it("combines claimants of the same attacks instead of adding them (envelope, lowest, highest)", async () => {
    const envelope = await totals(militantsOn31);
    expect(envelope.rows).toEqual([
      { periodStart: null, low: 0, high: null, exact: false, approximate: false, includesUnquantified: true, figureCount: 3, incidentCount: 1 },
    ]);
    const lowest = await totals({ ...militantsOn31, claimantCombination: 'LOWEST_CLAIM' });
    expect(interval(lowest.rows[0])).toEqual([0, 6]);
    const highest = await totals({ ...militantsOn31, claimantCombination: 'HIGHEST_CLAIM' });
    expect(interval(highest.rows[0])).toEqual([67, null]);
  });

  it('dates the undated raids by the statement (30 January) and totals by day and month', async () => {
    const byDay = await totals({ metric: 'KILLED', sides: ['NON_STATE_ARMED_GROUP'], groupBy: 'DAY' });
    expect(byDay.rows.map((row) => [row.periodStart, row.low, row.high, row.exact])).toEqual([
      ['2026-01-30T00:00:00.000Z', 41, 41, true],
      ['2026-01-31T00:00:00.000Z', 0, null, false],
    ]);
    const byMonth = await totals({ metric: 'KILLED', sides: ['NON_STATE_ARMED_GROUP'], groupBy: 'MONTH', claimantCombination: 'HIGHEST_CLAIM' });
    expect(byMonth.rows).toEqual([
      { periodStart: '2026-01-01T00:00:00.000Z', low: 108, high: null, exact: false, approximate: false, includesUnquantified: true, figureCount: 4, incidentCount: 2 },
    ]);
    const byWeek = await totals({ metric: 'KILLED', sides: ['NON_STATE_ARMED_GROUP'], groupBy: 'WEEK' });
    expect(byWeek.rows.map((row) => row.periodStart)).toEqual(['2026-01-26T00:00:00.000Z']); // a Monday
  });

  it('totals by place inside Balochistan: Gwadar on its own, province-wide figures under Balochistan', async () => {
    const { rows } = await totals(
      { ...militantsOn31, groupBy: 'PLACE', place: globalId('Place', await placeId('balochistan')) },
      'place { name }',
    );
    expect(rows.map((row) => [row.place.name, row.low, row.high])).toEqual([
      ['Balochistan', 0, null],
      ['Gwadar', 6, 6],
    ]);
    const gwadarOnly = await totals({ ...militantsOn31, place: globalId('Place', await placeId('gwadar')) });
    expect(gwadarOnly.rows).toMatchObject([{ low: 6, high: 6, exact: true, figureCount: 1 }]);
  });
});

// Purpose-built: INJURED figures in March 2025 (the seed has none), for one coordinated attack P
// with parts C1 (10 March) and C2 (11 March), and a separate incident Q (20 March).
describe('purpose-built incidents', () => {
  const march = { metric: 'INJURED', between: { from: '2025-03-01', to: '2025-03-31' } };
  const at = (day: string) => new Date(`2025-03-${day}T00:00:00.000Z`);
  let ids: { police: number; official: number; quetta: number; q: number; revisedFigure: number };

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

    ids = { police: police.id, official: official.id, quetta, q: q.id, revisedFigure: revised.id };
  });

  it('uses a claimant\'s parent figure and leaves out its sub-incident figure; adds the parts of a claimant who gave only parts', async () => {
    const { rows } = await totals({ ...march, groupBy: 'CLAIMANT' }, CLAIMANT);
    const claimants = byClaimant(rows);
    // Police: 20 for P (not 20 + 8), plus at most 30 for Q: ranges add as ranges.
    expect(claimants['Fixture police']).toMatchObject({ low: 20, high: 50, exact: false, figureCount: 2, incidentCount: 2 });
    // Official: [3,5] + [10,15] for C1 and at least 9 for C2 (the revision): open stays open.
    expect(claimants['Fixture Official']).toMatchObject({ low: 22, high: null, figureCount: 3, incidentCount: 1 });
    // Witnesses: some 12 (approximate) for P's part C2, and 2 for Q; the retracted 50 is left out.
    expect(claimants['fixture claimant']).toMatchObject({ low: 14, high: 14, exact: false, approximate: true, figureCount: 2 });
  });

  it('adds ranges as ranges when nothing is open', async () => {
    const { rows } = await totals({ ...march, between: { from: '2025-03-10', to: '2025-03-10' }, groupBy: 'CLAIMANT' }, CLAIMANT);
    // Parts are dated by their incident (C1: 10 March), not by when the official spoke (11 March).
    expect(rows.map((row) => [claimantName(row.claimant), row.low, row.high, row.exact])).toEqual([
      ['Fixture Official', 13, 20, false],
      ['Fixture police', 20, 20, true],
    ]);
    const official = await totals({ ...march, claimantOfficials: [globalId('Official', ids.official)], between: { from: '2025-03-10', to: '2025-03-10' } });
    expect(official.rows).toMatchObject([{ low: 13, high: 20, exact: false, approximate: false, figureCount: 2 }]);
  });

  it('combines the claimants of one attack, then adds separate incidents', async () => {
    // P: police [20,20], official [22,open), witnesses [12,12] ~ ; Q: police [0,30], witnesses [2,2].
    const envelope = await totals(march);
    expect(envelope.rows).toEqual([
      { periodStart: null, low: 12, high: null, exact: false, approximate: true, includesUnquantified: false, figureCount: 7, incidentCount: 2 },
    ]);
    const lowest = await totals({ ...march, claimantCombination: 'LOWEST_CLAIM' });
    expect(interval(lowest.rows[0])).toEqual([12, 14]); // P [12,12] + Q [0,2]
    const highest = await totals({ ...march, claimantCombination: 'HIGHEST_CLAIM' });
    expect(interval(highest.rows[0])).toEqual([24, null]); // P [22,open) + Q [2,30]
    const q = await totals({ ...march, between: { from: '2025-03-20', to: '2025-03-20' } });
    expect(q.rows).toMatchObject([{ low: 0, high: 30, exact: false, figureCount: 2, incidentCount: 1 }]);
  });

  it('totals by day: a part on its own day, the parent figure on the parent\'s day', async () => {
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
    expect(rows.map((row) => [row.place.name, row.low, row.high])).toEqual([
      ['High-security area, Quetta', 13, 20],
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
    // The witnesses' statement retracted on 13 March counted on 12 March: 50 for C1.
    const witnessesC1 = await totals({ ...march, between: { from: '2025-03-10', to: '2025-03-10' }, asOf: '2025-03-12', groupBy: 'CLAIMANT' }, CLAIMANT);
    expect(interval(byClaimant(witnessesC1.rows)['fixture claimant'])).toEqual([50, 50]);
  });

  it('selects the same standing figures in SQL as the Prisma rule (standingWhere)', async () => {
    const prisma = gateway.db.prisma;
    const moments = [null, '2025-03-09', '2025-03-11T12:00:00Z', '2025-03-12', '2025-03-13', '2025-03-14', '2025-03-22', '2025-03-26', '2026-01-30', '2026-02-01'];
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
    const organisations = await Promise.all(
      [1, 2, 3].map((n) => prisma.organisation.create({ data: { name: `Cost fixture ${n}`, kind: 'OTHER' } })),
    );
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
