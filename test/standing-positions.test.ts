// The kept positions (StandingPosition, StandingSpread, StandingRelation) against a full
// recomputation: fast-check drives random sequences of writes through the GraphQL mutations
// (statements with figures on a small incident tree, revisions, retractions of statements and
// figures, incidents moved under another parent or redated, a claimant merged into another) and
// checks after every step that
//   - the kept tables hold exactly what rebuilding them from every figure gives, and
//   - the answers read from them (discrepancies, with and without a claimant filter, each
//     incident's comparisons and estimates, track records: summary, entries and their pages) are
//     the answers recomputed from the figures, as the gateway computes them for a moment (`asOf`)
//     after every write, and
//   - each figure's kept `standing` (what `current: true` lists read) is the standing rule, in
//     Prisma (`standingWhere`) and in SQL (`standingFigureIds`).
// PROPERTY_RUNS sets how many sequences (default 15).
import { readdir, readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { standingWhere } from '../src/claims/filters.js';
import { standingFigureIds } from '../src/claims/standing.js';
import { rebuildStandings } from '../src/claims/standing-positions.js';
import type { Prisma } from '../src/generated/prisma/client.js';
import { bearer, CLAIMANT, seedTargets, startGateway, type TestGateway } from './support/gateway.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 15);
/** A moment after every write: the recomputed answer as the record stands now. */
const LATER = '2100-01-01T00:00:00Z';

let gateway: TestGateway;
let writer: Record<string, string>;
let admin: Record<string, string>;
let source: string;
let bla: string;

beforeAll(async () => {
  gateway = await startGateway({ rateLimit: { perKey: 1e9, perIp: 1e9, windowSeconds: 60, trustProxy: false } });
  writer = bearer((await createApiKey(gateway.db.prisma, 'Writer', ['WRITE'])).secret);
  admin = bearer((await createApiKey(gateway.db.prisma, 'Admin', ['WRITE', 'ADMIN'])).secret);
  ({ source, bla } = await seedTargets(gateway));
});
afterAll(() => gateway.close());

async function write(query: string, variables: Record<string, unknown>, key = writer): Promise<any> {
  const response = await gateway.graphql(query, variables, key);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return Object.values(response.data as object)[0];
}

const ERRORS = `... on WriteError { message }`;
const RECORD = `mutation($input: RecordStatementInput!) { recordStatement(input: $input) { __typename ... on RecordPayload { statement { id } figures { id } } ${ERRORS} } }`;
const REVISE = `mutation($input: ReviseFigureInput!) { reviseFigure(input: $input) { __typename ... on RecordPayload { figures { id } } ${ERRORS} } }`;
const RETRACT_STATEMENT = `mutation($id: ID!) { retractStatement(statement: $id, reason: "withdrawn") { __typename ${ERRORS} } }`;
const RETRACT_FIGURE = `mutation($id: ID!) { retractFigure(figure: $id, reason: "double counted") { __typename ${ERRORS} } }`;
const CREATE_INCIDENT = `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { __typename ... on IncidentWritePayload { incident { id } } ${ERRORS} } }`;
const CREATE_ORGANISATION = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { __typename ... on OrganisationWritePayload { organisation { id } } ${ERRORS} } }`;
const MERGE_ORGANISATIONS = `mutation($keep: ID!, $duplicate: ID!) { mergeOrganisations(keep: $keep, duplicate: $duplicate) { __typename ${ERRORS} } }`;
const UPDATE_INCIDENT = `mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { __typename ${ERRORS} } }`;

// ---------------------------------------------------------------------------------------------
// The world each sequence writes into: an attack with two parts, and another incident; a
// duplicate of the BLA, until it is merged into the BLA.

interface World {
  incidents: string[];
  duplicate: string | null;
  statements: string[];
  figures: string[];
}

async function newWorld(run: number): Promise<World> {
  const create = async (title: string, parent?: string) =>
    (await write(CREATE_INCIDENT, { input: { title: `${title} ${run}`, kind: 'COORDINATED_ATTACK', startedAt: '2026-02-01', parent } })).incident.id as string;
  const attack = await create('Attack');
  const incidents = [attack, await create('Attack part one', attack), await create('Attack part two', attack), await create('Raid')];
  const duplicate = (await write(CREATE_ORGANISATION, { input: { name: `Balochistan Liberation Army ${run}`, kind: 'ARMED_GROUP' } })).organisation
    .id as string;
  return { incidents, duplicate, statements: [], figures: [] };
}

type Quantity = { kind: string; low?: number; high?: number; phrase: string };
const quantity = fc.oneof(
  fc.nat({ max: 40 }).map((n): Quantity => ({ kind: 'EXACT', low: n, high: n, phrase: String(n) })),
  fc.integer({ min: 1, max: 40 }).map((n): Quantity => ({ kind: 'APPROXIMATE', low: n, high: n, phrase: `some ${n}` })),
  fc.nat({ max: 40 }).map((n): Quantity => ({ kind: 'AT_LEAST', low: n, phrase: `at least ${n}` })),
  fc.nat({ max: 40 }).map((n): Quantity => ({ kind: 'AT_MOST', high: n, phrase: `at most ${n}` })),
  fc
    .tuple(fc.nat({ max: 30 }), fc.integer({ min: 1, max: 10 }))
    .map(([n, d]): Quantity => ({ kind: 'RANGE', low: n, high: n + d, phrase: `between ${n} and ${n + d}` })),
  fc.constant<Quantity>({ kind: 'UNQUANTIFIED', phrase: 'dozens' }),
);

/** Claimants: organisations (a duplicate to be merged), and unnamed groups (two spellings of one). */
const CLAIMANTS = [
  () => ({ kind: 'ORGANISATION', organisation: bla, description: 'a BLA spokesman', affiliation: 'NON_STATE_ARMED_GROUP' }),
  (world: World) => ({ kind: 'ORGANISATION', organisation: world.duplicate ?? bla, description: 'the BLA', affiliation: 'NON_STATE_ARMED_GROUP' }),
  () => ({ kind: 'UNNAMED_GROUP', description: 'police sources', affiliation: 'STATE' }),
  () => ({ kind: 'UNNAMED_GROUP', description: ' Police sources', affiliation: 'STATE' }),
  () => ({ kind: 'UNNAMED_GROUP', description: 'rescue officials', affiliation: 'INDEPENDENT' }),
];

type Command = fc.AsyncCommand<World, World>;
const pick = <T>(items: T[], n: number) => items[n % items.length]!;

class RecordClaim implements Command {
  constructor(
    readonly claimant: number,
    readonly questioned: boolean,
    readonly figures: { incident: number; metric: string; side: string; quantity: Quantity }[],
  ) {}
  check = () => true;
  async run(world: World) {
    const result = await write(RECORD, {
      input: {
        kind: 'CASUALTY_REPORT',
        claimant: CLAIMANTS[this.claimant]!(world),
        madeAt: '2026-02-02',
        text: 'A claim.',
        verification: this.questioned ? 'DISPUTED' : 'NOT_ASSESSED',
        sources: [source],
        incidents: [...new Set(this.figures.map((f) => pick(world.incidents, f.incident)))],
        figures: this.figures.map((f) => ({
          metric: f.metric,
          victimCategory: 'PEOPLE',
          side: f.side,
          victimDescription: 'people',
          incident: pick(world.incidents, f.incident),
          quantity: f.quantity,
        })),
      },
    });
    expect(result.__typename).toBe('RecordPayload');
    world.statements.push(result.statement.id);
    world.figures.push(...result.figures.map((f: any) => f.id));
  }
  toString = () => `record(${this.claimant}, ${this.questioned}, ${JSON.stringify(this.figures)})`;
}

/** A figure revised (a Conflict when it no longer stands: then nothing changes). */
class Revise implements Command {
  constructor(
    readonly figure: number,
    readonly quantity: Quantity,
  ) {}
  check = (world: Readonly<World>) => world.figures.length > 0;
  async run(world: World) {
    const figure = pick(world.figures, this.figure);
    const { node } = await gateway.data(`query($id: ID!) { node(id: $id) { ... on Figure { version } } }`, { id: figure });
    const result = await write(REVISE, { input: { figure, expectedVersion: node.version, text: 'Revised.', quantity: this.quantity } });
    if (result.__typename === 'RecordPayload') world.figures.push(...result.figures.map((f: any) => f.id));
  }
  toString = () => `revise(${this.figure}, ${JSON.stringify(this.quantity)})`;
}

class Retract implements Command {
  constructor(
    readonly what: 'statement' | 'figure',
    readonly n: number,
  ) {}
  check = (world: Readonly<World>) => (this.what === 'statement' ? world.statements : world.figures).length > 0;
  async run(world: World) {
    const id = pick(this.what === 'statement' ? world.statements : world.figures, this.n);
    await write(this.what === 'statement' ? RETRACT_STATEMENT : RETRACT_FIGURE, { id });
  }
  toString = () => `retract ${this.what}(${this.n})`;
}

/** An incident moved under another (or to the top; a cycle is refused and changes nothing). */
class Move implements Command {
  constructor(
    readonly incident: number,
    readonly parent: number | null,
  ) {}
  check = () => true;
  async run(world: World) {
    const id = pick(world.incidents.slice(1), this.incident);
    const parent = this.parent === null ? null : pick(world.incidents, this.parent);
    if (parent === id) return;
    const { node } = await gateway.data(`query($id: ID!) { node(id: $id) { ... on Incident { updatedAt } } }`, { id });
    await write(UPDATE_INCIDENT, { input: { incident: id, expectedUpdatedAt: node.updatedAt, parent } });
  }
  toString = () => `move(${this.incident} under ${this.parent})`;
}

/** An incident redated (or left undated): where its track-record entries are listed. */
class Redate implements Command {
  constructor(
    readonly incident: number,
    readonly day: number | null,
  ) {}
  check = () => true;
  async run(world: World) {
    const id = pick(world.incidents, this.incident);
    const { node } = await gateway.data(`query($id: ID!) { node(id: $id) { ... on Incident { updatedAt } } }`, { id });
    const startedAt = this.day === null ? null : `2026-01-${String(this.day).padStart(2, '0')}`;
    await write(UPDATE_INCIDENT, { input: { incident: id, expectedUpdatedAt: node.updatedAt, startedAt } });
  }
  toString = () => `redate(${this.incident} to ${this.day})`;
}

/** The duplicate merged into the BLA: its statements become the BLA's. */
class Merge implements Command {
  check = (world: Readonly<World>) => world.duplicate !== null;
  async run(world: World) {
    expect((await write(MERGE_ORGANISATIONS, { keep: bla, duplicate: world.duplicate }, admin)).__typename).toBe('OrganisationMergePayload');
    world.duplicate = null;
  }
  toString = () => 'merge duplicate into the BLA';
}

const figure = fc.record({
  incident: fc.nat({ max: 3 }),
  metric: fc.constantFrom('KILLED', 'INJURED'),
  side: fc.constantFrom('CIVILIAN', 'STATE_FORCES'),
  quantity,
});
// The duplicate claims twice as often as each other claimant, so that merges move claims.
const record = fc
  .tuple(fc.constantFrom(0, 1, 1, 2, 3, 4), fc.boolean(), fc.array(figure, { minLength: 1, maxLength: 3 }))
  .map(([c, q, f]) => new RecordClaim(c, q, f));
// Records twice as often as any other write: the others need claims to act on.
const commands = [
  record,
  record,
  fc.tuple(fc.nat(), quantity).map(([n, q]) => new Revise(n, q)),
  fc.tuple(fc.constantFrom('statement' as const, 'figure' as const), fc.nat()).map(([what, n]) => new Retract(what, n)),
  fc.tuple(fc.nat({ max: 2 }), fc.option(fc.nat({ max: 3 }))).map(([n, parent]) => new Move(n, parent)),
  fc.tuple(fc.nat({ max: 3 }), fc.option(fc.constantFrom(1, 2))).map(([n, day]) => new Redate(n, day)),
  fc.constant(null).map(() => new Merge()),
];

// ---------------------------------------------------------------------------------------------
// The checks

type Client = Pick<Prisma.TransactionClient, '$queryRaw'>;

/** Both kept tables, every column as text (bounds may be 'Infinity'). */
async function keptRows(db: Client) {
  const positions = await db.$queryRaw<unknown[]>`
    SELECT "incidentId", metric::text, side::text, claimant, "statementId", "figureIds", low::text, high::text, approximate, "coversWholeIncident", questioned, affiliations
    FROM "StandingPosition" ORDER BY "incidentId", metric, side, claimant`;
  const spreads = await db.$queryRaw<unknown[]>`
    SELECT "incidentId", metric::text, side::text, "quantifiedClaimants", lowest::text, highest::text, ratio::text, agreement
    FROM "StandingSpread" ORDER BY "incidentId", metric, side`;
  const relations = await db.$queryRaw<unknown[]>`
    SELECT "incidentId", metric::text, side::text, claimant, "startedAt"::text, relation, ratio::text
    FROM "StandingRelation" ORDER BY "incidentId", metric, side, claimant`;
  return { positions, spreads, relations };
}

class Rollback extends Error {}

/** What rebuilding the kept tables from every figure gives (rolled back). */
async function rebuiltRows() {
  let rows: Awaited<ReturnType<typeof keptRows>> | undefined;
  await gateway.db.prisma
    .$transaction(async (tx) => {
      await rebuildStandings(tx);
      rows = await keptRows(tx);
      throw new Rollback();
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return rows!;
}

const COMPARISON = `incident { id } metric side lowest highest ratio agreement
  positions { ${CLAIMANT} figures { id } low high approximate unquantified exact coversWholeIncident questioned }`;

/** The answers read from the kept tables, or (with `asOf`) recomputed from the figures. */
async function answers(world: World, asOf: string | null) {
  return gateway.data(
    `query($asOf: DateTime, $ids: [ID!]!, $orgs: [ID!], $claimants: [ID!]!) {
      all: discrepancies(first: 100, filter: { asOf: $asOf }) { totalCount edges { node { ${COMPARISON} } } }
      top: discrepancies(first: 2, filter: { asOf: $asOf, metric: KILLED }) { totalCount edges { node { ${COMPARISON} } } }
      bla: discrepancies(first: 100, filter: { asOf: $asOf, claimantOrganisations: $orgs }) { totalCount edges { node { ${COMPARISON} } } }
      incidents: nodes(ids: $ids) { ... on Incident {
        claimComparisons(asOf: $asOf) { ${COMPARISON} }
        estimate(metric: KILLED, side: CIVILIAN, method: CONSERVATIVE, asOf: $asOf) { low high used { low high } excluded { reason } }
      } }
      records: nodes(ids: $claimants) { ... on Organisation { trackRecord(asOf: $asOf) {
        summary { comparisons higher lower equal overlapping medianRatio }
        entries(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ENTRY} } } }
      } } }
    }`,
    { asOf, ids: world.incidents, orgs: [bla], claimants: [bla, world.duplicate ?? bla] },
  );
}

/** The figures the kept `standing` says stand, and those the rule says stand, in Prisma and in SQL. */
async function standingFigures() {
  const ids = async (where: Prisma.FigureWhereInput) =>
    (await gateway.db.prisma.figure.findMany({ where, select: { id: true }, orderBy: { id: 'asc' } })).map((f) => f.id);
  return { kept: await ids({ standing: true }), rule: await ids(standingWhere()), sql: await standingFigureIds(gateway.db.prisma) };
}

const ENTRY = `relation ratio comparison { incident { id } metric side } own { low high }`;

/** The BLA's first entries read `size` at a time, following each page's endCursor (three pages at most: the BLA claims in every sequence). */
async function entryPages(asOf: string | null, size: number) {
  const pages: unknown[] = [];
  let after: string | null = null;
  for (;;) {
    const { node }: { node: any } = await gateway.data(
      `query($bla: ID!, $asOf: DateTime, $first: Int, $after: String) { node(id: $bla) { ... on Organisation { trackRecord(asOf: $asOf) {
        entries(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ENTRY} } } } } } } }`,
      { bla, asOf, first: size, after },
    );
    const page: { pageInfo: { hasNextPage: boolean; endCursor: string } } = node.trackRecord.entries;
    pages.push(page);
    if (!page.pageInfo.hasNextPage || pages.length === 3) return pages;
    after = page.pageInfo.endCursor;
  }
}

async function check(world: World) {
  expect(await keptRows(gateway.db.prisma), 'the kept tables are what a rebuild gives').toEqual(await rebuiltRows());
  const { kept: keptStanding, rule, sql } = await standingFigures();
  expect(keptStanding, "each figure's kept standing is the rule's").toEqual(rule);
  expect(sql).toEqual(rule);
  const kept = await answers(world, null);
  expect(kept, 'the answers read from the kept tables are the recomputed ones').toEqual(await answers(world, LATER));
  const size = 1 + (run % 3);
  const pages = await entryPages(null, size);
  expect(pages, 'the pages read from the kept rows are the recomputed ones').toEqual(await entryPages(LATER, size));
  const entries = kept.records[0].trackRecord.entries;
  const paged = pages.flatMap((page: any) => page.edges);
  expect(paged, 'the pages, one after another, are the list').toEqual(entries.edges.slice(0, paged.length));
  if (entries.pageInfo.hasNextPage) expect(entries.totalCount).toBeGreaterThan(entries.edges.length);
  else expect(entries.totalCount).toBe(entries.edges.length);
}

let run = 0;

describe('kept positions on random write sequences', () => {
  it('equal a full recomputation after every write, and answer as the recomputation does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 12 }), async (sequence) => {
        const world = await newWorld(++run);
        await fc.asyncModelRun(
          () => ({ model: world, real: world }),
          [...sequence].map((command) => ({
            check: (m: Readonly<World>) => command.check(m as World),
            run: async (m: World, real: World) => {
              await command.run(m, real);
              await check(m);
            },
            toString: () => command.toString(),
          })),
        );
      }),
      { numRuns: RUNS },
    );
  });
});

/** A migration's backfill: the statements after its "-- Backfill" line. */
async function backfillOf(name: string): Promise<string[]> {
  const [folder] = (await readdir('prisma/migrations')).filter((folder) => folder.endsWith(`_${name}`));
  const script = await readFile(`prisma/migrations/${folder}/migration.sql`, 'utf8');
  return script
    .slice(script.indexOf('-- Backfill'))
    .split(';')
    .map((sql) => sql.replace(/^(--.*\n)+/gm, '').trim())
    .filter(Boolean);
}

// Each backfill, run again on this file's data (the seed, and every sequence above).
describe('the migrations that made the kept tables', () => {
  it('backfill positions and spreads in a database that already holds claims with what a rebuild gives', async () => {
    const backfill = await backfillOf('standing_positions');
    expect(backfill).toHaveLength(2);
    const expected = await rebuiltRows();
    await gateway.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('DELETE FROM "StandingSpread"');
      await tx.$executeRawUnsafe('DELETE FROM "StandingPosition"');
      for (const sql of backfill) await tx.$executeRawUnsafe(sql);
    });
    expect((await keptRows(gateway.db.prisma)).positions.length).toBeGreaterThan(10);
    expect(await keptRows(gateway.db.prisma)).toEqual(expected);
  });

  it('backfill the relations with what a rebuild gives', async () => {
    const backfill = await backfillOf('standing_relations');
    expect(backfill).toHaveLength(2); // the rows, then ANALYZE
    const expected = await rebuiltRows();
    await gateway.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('DELETE FROM "StandingRelation"');
      for (const sql of backfill) await tx.$executeRawUnsafe(sql);
    });
    expect((await keptRows(gateway.db.prisma)).relations.length).toBeGreaterThan(10);
    expect(await keptRows(gateway.db.prisma)).toEqual(expected);
  });
});

describe("a figure's kept standing", () => {
  it('is backfilled by its migration as the rule says', async () => {
    const [folder] = (await readdir('prisma/migrations')).filter((name) => name.endsWith('_figure_standing'));
    const script = await readFile(`prisma/migrations/${folder}/migration.sql`, 'utf8');
    const backfill = script
      .slice(script.indexOf('-- Backfill'))
      .split(';')[0]!
      .replace(/^(--.*\n)+/gm, '')
      .trim();
    expect(backfill).toMatch(/^UPDATE "Figure"/);
    await gateway.db.prisma.$executeRawUnsafe('UPDATE "Figure" SET standing = true');
    expect((await standingFigures()).kept).not.toEqual((await standingFigures()).rule);
    await gateway.db.prisma.$executeRawUnsafe(backfill);
    const { kept, rule } = await standingFigures();
    expect(kept).toEqual(rule);
  });

  it('follows rows written past the write functions: a revision deleted with its statement, a statement retracted alone, a figure moved', async () => {
    const revisions = await gateway.db.prisma.figure.findMany({ where: { supersedesId: { not: null } }, select: { statementId: true }, take: 3 });
    expect(revisions.length).toBeGreaterThan(0);
    await gateway.db.prisma.statement.deleteMany({ where: { id: { in: revisions.map((r) => r.statementId) } } });
    let { kept, rule } = await standingFigures();
    expect(kept).toEqual(rule);
    const alone = await gateway.db.prisma.figure.findFirstOrThrow({ where: { standing: true }, select: { id: true, statementId: true } });
    await gateway.db.prisma.statement.update({ where: { id: alone.statementId }, data: { retractedAt: new Date() } });
    ({ kept, rule } = await standingFigures());
    expect(kept).not.toContain(alone.id);
    expect(kept).toEqual(rule);
    const retracted = await gateway.db.prisma.statement.findFirstOrThrow({ where: { retractedAt: { not: null } }, select: { id: true } });
    const standing = await gateway.db.prisma.figure.findFirstOrThrow({ where: { standing: true }, select: { id: true } });
    await gateway.db.prisma.$executeRaw`UPDATE "Figure" SET "statementId" = ${retracted.id} WHERE id = ${standing.id}`;
    ({ kept, rule } = await standingFigures());
    expect(kept).not.toContain(standing.id);
    expect(kept).toEqual(rule);
  });
});
