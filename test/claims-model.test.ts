// The claims analyses against a reference model (test/support/claims-model.ts), over HTTP, on
// random worlds: incident trees with places and dates, claimants, statements made, revised and
// retracted at random moments, and figures of every kind. For each world the gateway's
// comparisons, estimates, totals (a random grouping, every combination) and track records must
// equal the model's, asked as of a random moment (the model replays the record up to it), and
// obey invariants that need no model: a total lies inside the envelope of the positions it
// combines; a claimant's total over an incident is its position there; an estimate's used and
// excluded claims are every position once. CLAIMS_PROPERTY_RUNS sets the number of worlds.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import {
  estimateOf,
  Model,
  relationOf,
  replay,
  spreadOf,
  counts,
  type Combination,
  type FigureRow,
  type Grouping,
  type Kind,
  type Method,
  type Reading,
  type World,
} from './support/claims-model.js';
import { rebuildStandings } from '../src/claims/standing-positions.js';
import { startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  const defaults = loadConfig({});
  gateway = await startGateway({
    limits: { ...defaults.limits, maxAliases: 200, maxTokens: 100_000, maxCost: 100_000_000 },
    rateLimit: { ...defaults.rateLimit, perIp: 10_000_000 },
  });
});
afterAll(() => gateway.close());

const runs = Number(process.env.CLAIMS_PROPERTY_RUNS ?? 100);
// Shrinking writes a world per attempt: bounded, so that a failure is reported in time.
const timeLimit = runs * 3_000 + 120_000;

// --- Random worlds ------------------------------------------------------------------------------

const BASE = Date.UTC(2031, 0, 6); // a Monday
const moment = (k: number) => new Date(BASE + k * 9 * 3_600_000); // 0..7: three and a bit days
const MOMENTS = 8;
const METRICS = ['KILLED', 'INJURED'] as const;
const SIDES = ['STATE_FORCES', 'CIVILIAN'] as const;
const METHODS: Method[] = ['CONSERVATIVE', 'RANGE', 'OFFICIAL_ONLY', 'EXCLUDE_UNVERIFIED'];
const COMBINATIONS: Combination[] = ['ENVELOPE', 'LOWEST_CLAIM', 'HIGHEST_CLAIM'];

const n = fc.integer({ min: 0, max: 12 });
const words = fc.constantFrom('dozens', 'Several dozen', 'a few', 'some', 'scores of people', 'many', 'unknown', 'hundreds');
const quantity: fc.Arbitrary<{ kind: Kind; low: number | null; high: number | null; phrase: string }> = fc.oneof(
  fc.record({ kind: fc.constantFrom<Kind>('EXACT', 'APPROXIMATE'), v: n }).map(({ kind, v }) => ({ kind, low: v, high: v, phrase: String(v) })),
  n.map((v) => ({ kind: 'AT_LEAST' as Kind, low: v, high: null, phrase: `at least ${v}` })),
  n.map((v) => ({ kind: 'AT_MOST' as Kind, low: null, high: v, phrase: `at most ${v}` })),
  fc.record({ v: n, w: fc.integer({ min: 1, max: 6 }) }).map(({ v, w }) => ({ kind: 'RANGE' as Kind, low: v, high: v + w, phrase: `${v} to ${v + w}` })),
  words.map((phrase) => ({ kind: 'UNQUANTIFIED' as Kind, low: null, high: null, phrase })),
);
const at = fc.integer({ min: 0, max: MOMENTS - 1 });
/** Null four times in five. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
/** Mostly the first value, so that claims meet on one metric and side. */
const mostly = <T>(first: T, ...others: T[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(first) }, { weight: 1, arbitrary: fc.constantFrom(first, ...others) });

const worldSpec = fc.record({
  incidents: fc.array(
    fc.record({ parent: fc.option(fc.nat(), { freq: 3 }), place: fc.integer({ min: 0, max: 3 }), day: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 8 }) }),
    { minLength: 1, maxLength: 7 },
  ),
  claimants: fc.array(fc.constantFrom('ORGANISATION' as const, 'UNNAMED_GROUP' as const), { minLength: 1, maxLength: 4 }),
  statements: fc.array(
    fc.record({
      claimant: fc.nat(),
      madeAt: fc.option(at, { freq: 6 }),
      createdAt: at,
      retractedAt: rarely(at),
      verification: mostly('NOT_ASSESSED', 'VERIFIED', 'UNVERIFIED', 'DISPUTED'),
      affiliation: fc.constantFrom('STATE', 'STATE', 'NON_STATE_ARMED_GROUP', 'INDEPENDENT'),
    }),
    { minLength: 1, maxLength: 7 },
  ),
  figures: fc.array(
    fc.record({
      statement: fc.nat(),
      incident: fc.option(fc.nat(), { freq: 8 }),
      place: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 2 }),
      metric: mostly(...METRICS),
      side: mostly(...SIDES),
      quantity,
      supersedes: rarely(fc.nat()),
      retractedAt: rarely(at),
    }),
    { minLength: 1, maxLength: 14 },
  ),
  asOf: fc.option(fc.integer({ min: 0, max: 2 * MOMENTS }), { freq: 2 }),
  reading: fc.constantFrom<Reading>('NO_NUMBER', 'IMPLIED_BOUNDS'),
  grouping: fc.constantFrom<Grouping>('NONE', 'DAY', 'WEEK', 'MONTH', 'PLACE', 'CLAIMANT'),
  metric: mostly(...METRICS),
  pick: fc.nat(),
});
type WorldSpec = typeof worldSpec extends fc.Arbitrary<infer T> ? T : never;

// --- Writing a world (one statement per table, or per tree level) ---------------------------------

let worldNumber = 0;

async function write(spec: WorldSpec): Promise<{ world: World; organisations: Map<string, number> }> {
  const prisma = gateway.db.prisma;
  const tag = `model ${process.pid} ${++worldNumber}`;
  const scope = await prisma.place.create({ data: { name: `${tag} P`, kind: 'COUNTRY' } });
  const [a, b] = await prisma.place.createManyAndReturn({
    data: ['A', 'B'].map((x) => ({ name: `${tag} ${x}`, kind: 'PROVINCE' as const, parentId: scope.id })),
  });
  const a1 = await prisma.place.create({ data: { name: `${tag} A1`, kind: 'CITY', parentId: a!.id } });
  const places = [scope, a!, b!, a1].map((p) => ({ id: p.id, parentId: p.parentId, name: p.name }));

  // Incidents, parents first (a parent always comes earlier in the list).
  const parents = spec.incidents.map((incident, i) => (i === 0 || incident.parent === null ? null : incident.parent % i));
  const ids: number[] = [];
  const incidents: World['incidents'] = [];
  const depth = (i: number): number => (parents[i] === null ? 0 : 1 + depth(parents[i]!));
  for (let level = 0; incidents.length < spec.incidents.length; level++) {
    const wave = spec.incidents.flatMap((incident, i) => (depth(i) === level ? [{ incident, i }] : []));
    const rows = await prisma.incident.createManyAndReturn({
      data: wave.map(({ incident, i }) => ({
        title: `${tag} incident ${i}`,
        kind: 'CLASH' as const,
        parentId: parents[i] === null ? null : ids[parents[i]!],
        startedAt: incident.day === null ? null : new Date(BASE + incident.day * 86_400_000),
      })),
    });
    for (const row of rows) {
      const i = Number(row.title.split(' ').at(-1));
      ids[i] = row.id;
      incidents.push({ id: row.id, parentId: row.parentId, placeId: places[spec.incidents[i]!.place]!.id, startedAt: row.startedAt, title: row.title });
    }
  }
  await prisma.incidentPlace.createMany({ data: incidents.map((i) => ({ incidentId: i.id, placeId: i.placeId })) });

  const names = spec.claimants.map((_, k) => `${tag} claimant ${k}`);
  const orgRows = await prisma.organisation.createManyAndReturn({
    data: names.filter((_, k) => spec.claimants[k] === 'ORGANISATION').map((name) => ({ name, kind: 'OTHER' as const })),
  });
  const organisations = new Map(orgRows.map((o) => [o.name, o.id]));
  const statementRows = await prisma.statement.createManyAndReturn({
    data: spec.statements.map((s, i) => {
      const name = names[s.claimant % names.length]!;
      const organisationId = organisations.get(name);
      return {
        kind: 'CASUALTY_REPORT' as const,
        claimantKind: organisationId ? ('ORGANISATION' as const) : ('UNNAMED_GROUP' as const),
        organisationId,
        claimantDescription: name,
        claimantAffiliation: s.affiliation as 'STATE',
        text: `${tag} statement ${i}`,
        madeAt: s.madeAt === null ? null : moment(s.madeAt),
        createdAt: moment(s.createdAt),
        retractedAt: s.retractedAt === null ? null : moment(s.retractedAt),
        verification: s.verification as 'VERIFIED',
      };
    }),
  });
  const statements = statementRows
    .map((row) => ({ row, i: Number(row.text.split(' ').at(-1)) }))
    .map(({ row, i }) => ({
      i,
      id: row.id,
      claimant: names[spec.statements[i]!.claimant % names.length]!,
      madeAt: row.madeAt,
      createdAt: row.createdAt,
      retractedAt: row.retractedAt,
      verification: row.verification,
      affiliation: row.claimantAffiliation,
    }))
    .sort((x, y) => x.i - y.i);

  // A figure may revise one earlier figure that nothing else revises yet.
  const revised = new Set<number>();
  const supersedes = spec.figures.map((f, i) => {
    if (f.supersedes === null || i === 0) return null;
    const target = f.supersedes % i;
    if (revised.has(target)) return null;
    revised.add(target);
    return target;
  });
  const figureRows = await prisma.figure.createManyAndReturn({
    data: spec.figures.map((f, i) => ({
      statementId: statements[f.statement % statements.length]!.id,
      incidentId: f.incident === null ? null : ids[f.incident % ids.length]!,
      // a figure with no incident is placed, so that a place scope can find it
      placeId: f.place === null && f.incident !== null ? null : places[f.place ?? 0]!.id,
      metric: f.metric,
      victimCategory: 'PEOPLE' as const,
      side: f.side,
      victimDescription: `${tag} figure ${i}`,
      quantityKind: f.quantity.kind,
      low: f.quantity.low,
      high: f.quantity.high,
      phrase: f.quantity.phrase,
      retractedAt: f.retractedAt === null ? null : moment(f.retractedAt),
    })),
  });
  const figureIds: number[] = [];
  for (const row of figureRows) figureIds[Number(row.victimDescription.split(' ').at(-1))] = row.id;
  for (const [i, target] of supersedes.entries()) {
    if (target !== null) await prisma.figure.update({ where: { id: figureIds[i]! }, data: { supersedesId: figureIds[target]! } });
  }
  // The world went in past the writes (as synth's rows do): the kept positions are rebuilt from it.
  await rebuildStandings(prisma);
  const figures: FigureRow[] = figureRows.map((row) => {
    const i = Number(row.victimDescription.split(' ').at(-1));
    return {
      id: row.id,
      statementId: row.statementId,
      incidentId: row.incidentId,
      placeId: row.placeId,
      metric: row.metric,
      side: row.side,
      kind: row.quantityKind,
      low: row.low,
      high: row.high,
      phrase: row.phrase,
      supersedesId: supersedes[i] === null ? null : figureIds[supersedes[i]!]!,
      retractedAt: row.retractedAt,
    };
  });
  return { world: { places, incidents, statements, figures }, organisations };
}

// --- Asking the gateway -----------------------------------------------------------------------

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
const dbId = (id: string) => Number(Buffer.from(id, 'base64').toString().split(':')[1]);
const NAME = `claimant { ... on Organisation { name } ... on UnnamedClaimant { description } }`;
const nameOf = (claimant: any) => claimant.name ?? claimant.description;
const POSITION = `${NAME} low high approximate exact unquantified coversWholeIncident questioned figures { id } impliedBounds { word figureCount }`;
const TOTAL = `side periodStart place { name } ${NAME} low high exact approximate includesUnquantified figureCount incidentCount impliedBounds { word figureCount }`;

const byWord = (bounds: { word: string; figureCount: number }[]) =>
  Object.fromEntries([...bounds].sort((x, y) => x.word.localeCompare(y.word)).map((b) => [b.word, b.figureCount]));
const sorted = <T>(items: T[]) => [...items].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
const inside = (low: number | null, high: number | null, outer: { low: number | null; high: number | null }) =>
  (outer.low === null || (low !== null && low >= outer.low)) && (outer.high === null || (high !== null && high <= outer.high));

async function ask(spec: WorldSpec, world: World, organisations: Map<string, number>) {
  const roots = world.incidents.filter((i) => i.parentId === null);
  const asOf = spec.asOf === null ? null : new Date(BASE + spec.asOf * 4.5 * 3_600_000);
  const figureOf = new Map(world.figures.map((f) => [f.id, f]));
  const scope = gid('Place', world.places[0]!.id);

  // The model, on the record replayed up to asOf.
  const now = asOf === null ? world : replay(world, asOf);
  const model = new Model(now, 'NO_NUMBER');
  const modelWords = new Model(now, spec.reading);
  // Estimates where there is most to choose from: the incident, metric and side with the most claimants.
  const groups = roots.flatMap((root) => [...modelWords.comparisons(root.id)].map(([key, positions]) => ({ root, key, positions })));
  const [chosen] = [...groups].sort((x, y) => y.positions.length - x.positions.length || ((x.root.id + spec.pick) % 7) - ((y.root.id + spec.pick) % 7));
  const pick = chosen?.root ?? roots[spec.pick % roots.length]!;
  const [pickMetric, pickSide] = (chosen?.key ?? `${spec.metric}/CIVILIAN`).split('/');

  const analyses = await gateway.data(
    `query($roots: [ID!]!, $orgs: [ID!]!, $pick: ID!, $asOf: DateTime, $words: VagueWordReading, $metric: FigureMetric!, $side: Side!) {
      roots: nodes(ids: $roots) { ... on Incident { id claimComparisons(asOf: $asOf, vagueWords: $words) {
        metric side lowest highest ratio agreement quantifiedClaimants positions { ${POSITION} } } } }
      picked: node(id: $pick) { ... on Incident {
        ${METHODS.map(
          (m) => `${m}: estimate(metric: $metric, side: $side, method: ${m}, asOf: $asOf, vagueWords: $words) {
          low high approximate exact impliedBounds { word figureCount } used { ${NAME} } excluded { reason position { ${NAME} } } }`,
        ).join('\n')} } }
      orgs: nodes(ids: $orgs) { ... on Organisation { name trackRecord(asOf: $asOf) {
        summary { comparisons higher lower equal overlapping medianRatio }
        entries(first: 100) { totalCount edges { node { relation ratio comparison { incident { id } metric side } } } } } } } }`,
    {
      roots: roots.map((r) => gid('Incident', r.id)),
      orgs: [...organisations.values()].map((id) => gid('Organisation', id)),
      pick: gid('Incident', pick.id),
      asOf,
      words: spec.reading,
      metric: pickMetric,
      side: pickSide,
    },
  );
  const totalsInput = (extra: Record<string, unknown>) => ({ metric: spec.metric, asOf, vagueWords: spec.reading, ...extra });
  const totals = await gateway.data(
    `query(${['$g', ...COMBINATIONS.map((c) => `$t${c}`), ...COMBINATIONS.map((c) => `$i${c}`), '$claimants'].map((v) => `${v}: FigureTotalsInput!`).join(', ')}) {
      ${COMBINATIONS.map((c) => `t${c}: figureTotals(input: $t${c}) { ${TOTAL} }`).join('\n')}
      ${COMBINATIONS.map((c) => `i${c}: figureTotals(input: $i${c}) { ${TOTAL} }`).join('\n')}
      claimants: figureTotals(input: $claimants) { ${TOTAL} }
      g: figureTotals(input: $g) { ${TOTAL} } }`,
    {
      g: totalsInput({ place: scope, groupBy: 'NONE' }),
      ...Object.fromEntries(COMBINATIONS.map((c) => [`t${c}`, totalsInput({ place: scope, groupBy: spec.grouping, claimantCombination: c })])),
      ...Object.fromEntries(COMBINATIONS.map((c) => [`i${c}`, totalsInput({ place: scope, incident: gid('Incident', pick.id), claimantCombination: c })])),
      claimants: totalsInput({ place: scope, incident: gid('Incident', pick.id), groupBy: 'CLAIMANT' }),
    },
  );

  const positionOut = (p: ReturnType<Model['position']>) => ({
    claimant: p.claimant,
    low: p.low,
    high: p.low === null || p.high === Infinity ? null : p.high,
    approximate: p.approximate,
    exact: p.low !== null && p.low === p.high && !p.approximate,
    unquantified: p.low === null,
    coversWholeIncident: p.whole,
    questioned: p.questioned,
    figures: [...p.figures].sort((x, y) => x - y),
    implied: counts(p.implied),
  });

  // Comparisons.
  for (const root of analyses.roots) {
    const expected = [...modelWords.comparisons(dbId(root.id))].map(([key, positions]) => {
      const [metric, side] = key.split('/');
      return { metric, side, ...spreadOf(positions), positions: sorted(positions.map(positionOut)) };
    });
    const actual = root.claimComparisons.map((c: any) => ({
      ...c,
      positions: sorted(
        c.positions.map((p: any) => ({
          claimant: nameOf(p.claimant),
          low: p.low,
          high: p.high,
          approximate: p.approximate,
          exact: p.exact,
          unquantified: p.unquantified,
          coversWholeIncident: p.coversWholeIncident,
          questioned: p.questioned,
          figures: p.figures.map((f: any) => dbId(f.id)).sort((x: number, y: number) => x - y),
          implied: byWord(p.impliedBounds),
        })),
      ),
    }));
    expect(sorted(actual), `comparisons of ${root.id}`).toEqual(sorted(expected));
    for (const c of root.claimComparisons) {
      // Highest number first, words last; figures behind a position exist and stand.
      const lows = c.positions.map((p: any) => p.low ?? -1);
      expect(lows).toEqual([...lows].sort((x: number, y: number) => y - x));
      for (const p of c.positions) for (const f of p.figures) expect(figureOf.get(dbId(f.id))!.metric).toBe(c.metric);
    }
  }

  // Estimates for one incident, metric and side.
  const positions = chosen?.positions ?? [];
  for (const method of METHODS) {
    const actual = analyses.picked[method];
    expect(
      {
        ...actual,
        impliedBounds: byWord(actual.impliedBounds),
        used: actual.used.map((p: any) => nameOf(p.claimant)).sort(),
        excluded: actual.excluded.map((e: any) => [nameOf(e.position.claimant), e.reason]).sort(),
      },
      method,
    ).toEqual((({ implied, ...rest }) => ({ ...rest, impliedBounds: implied }))(estimateOf(positions, method)));
    // used and excluded: every position, once.
    expect([...actual.used.map((p: any) => nameOf(p.claimant)), ...actual.excluded.map((e: any) => nameOf(e.position.claimant))].sort()).toEqual(
      positions.map((p) => p.claimant).sort(),
    );
  }

  // Track records.
  for (const org of analyses.orgs) {
    const entries = model.tops().flatMap((top) =>
      [...model.comparisons(top.id)].flatMap(([key, group]) => {
        const own = group.find((p) => p.claimant === org.name);
        if (!own) return [];
        const [metric, side] = key.split('/');
        return [
          {
            incident: top.id,
            metric,
            side,
            ...relationOf(
              own,
              group.filter((p) => p !== own),
            ),
          },
        ];
      }),
    );
    expect(org.trackRecord.entries.totalCount).toBe(org.trackRecord.entries.edges.length);
    const actual = org.trackRecord.entries.edges.map(({ node: e }: any) => ({
      incident: dbId(e.comparison.incident.id),
      metric: e.comparison.metric,
      side: e.comparison.side,
      relation: e.relation,
      ratio: e.ratio,
    }));
    expect(sorted(actual), `track record of ${org.name}`).toEqual(sorted(entries));
    const tally = (relation: string) => entries.filter((e) => e.relation === relation).length;
    expect(org.trackRecord.summary).toMatchObject({
      comparisons: entries.length - tally('NO_COMPARISON'),
      higher: tally('HIGHER'),
      lower: tally('LOWER'),
      equal: tally('EQUAL'),
      overlapping: tally('OVERLAPPING'),
    });
  }

  // Totals: the chosen grouping with every combination, and the picked incident alone.
  const totalOut = (row: any, grouping: Grouping) => ({
    side: row.side,
    group: grouping === 'NONE' ? null : grouping === 'PLACE' ? row.place.name : grouping === 'CLAIMANT' ? nameOf(row.claimant) : row.periodStart,
    low: row.low,
    high: row.high,
    exact: row.exact,
    approximate: row.approximate,
    includesUnquantified: row.includesUnquantified,
    implied: byWord(row.impliedBounds),
    figureCount: row.figureCount,
    incidentCount: row.incidentCount,
  });
  const scopeId = world.places[0]!.id;
  for (const c of COMBINATIONS) {
    expect(sorted(totals[`t${c}`].map((row: any) => totalOut(row, spec.grouping))), `${spec.grouping} ${c}`).toEqual(
      sorted(modelWords.totals(spec.grouping, c, spec.metric, null, scopeId)),
    );
    expect(sorted(totals[`i${c}`].map((row: any) => totalOut(row, 'NONE'))), `incident ${c}`).toEqual(
      sorted(modelWords.totals('NONE', c, spec.metric, pick.id, scopeId)),
    );
  }

  // Invariants, from the gateway's answers alone.
  for (const c of ['LOWEST_CLAIM', 'HIGHEST_CLAIM']) {
    for (const row of totals[`t${c}`]) {
      const envelope = totals.tENVELOPE.find(
        (e: any) => JSON.stringify(totalOut(e, spec.grouping).group) === JSON.stringify(totalOut(row, spec.grouping).group) && e.side === row.side,
      );
      expect(envelope, `${c} has the envelope's groups`).toBeDefined();
      expect(inside(row.low, row.high, envelope), `${c} inside the envelope`).toBe(true);
    }
  }
  const pickedComparisons = analyses.roots.find((r: any) => dbId(r.id) === pick.id).claimComparisons.filter((c: any) => c.metric === spec.metric);
  for (const c of COMBINATIONS) {
    for (const row of totals[`i${c}`]) {
      const group = pickedComparisons.find((g: any) => g.side === row.side);
      const withNumber = group?.positions.filter((p: any) => p.low !== null) ?? [];
      if (c === 'ENVELOPE' || withNumber.length === 0) continue;
      // The combination is one claimant's position, whole: inside the comparison's envelope.
      expect(inside(row.low, row.high, { low: group.lowest, high: group.highest }), `incident ${c} inside the positions' envelope`).toBe(true);
      expect(
        withNumber.some((p: any) => p.low === row.low && p.high === row.high && p.approximate === row.approximate),
        `incident ${c} is a claimant's position`,
      ).toBe(true);
    }
  }
  const claimantTotals = sorted(totals.claimants.map((row: any) => [row.side, nameOf(row.claimant), row.low, row.high, row.approximate, row.exact]));
  const claimantPositions = sorted(
    pickedComparisons.flatMap((g: any) => g.positions.map((p: any) => [g.side, nameOf(p.claimant), p.low, p.high, p.approximate, p.exact])),
  );
  expect(claimantTotals, "a claimant's total over an incident is its position").toEqual(claimantPositions);
  // Totals never add sides: one row per side.
  expect(new Set(totals.g.map((row: any) => row.side)).size).toBe(totals.g.length);
}

describe('claims analyses agree with the reference model', () => {
  it(
    `on ${runs} random worlds (comparisons, estimates, totals, track records, as of a moment)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(worldSpec, async (spec) => {
          const { world, organisations } = await write(spec);
          await ask(spec, world, organisations);
        }),
        { numRuns: runs, interruptAfterTimeLimit: timeLimit, markInterruptAsFailure: true },
      );
    },
    timeLimit + 60_000,
  );
});
