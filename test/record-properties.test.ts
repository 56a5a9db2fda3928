// Property tests of the record, against a small reference model in plain TypeScript: fast-check
// drives random sequences of writes an adversarial partner would send (retract then revise,
// revisions racing each other, an external ID sent again with other content, another partner
// reusing the ID, imports with bad lines) and checks after every step that
//   - nothing retracted is current in any view (and what is current is exactly what the model says),
//   - a refused write changed no row,
// and, after every sequence, that the change feed replayed from the start into a reducer gives
// the records as GraphQL answers them now. PROPERTY_RUNS sets how many sequences (default 12).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { bearer, databaseFingerprint, seedTargets, startGateway, type TestGateway } from './support/gateway.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 12);

let gateway: TestGateway;
let partners: Record<string, string>[];
let incident: string;
let source: string;

beforeAll(async () => {
  // Many requests a minute: no rate limit here.
  gateway = await startGateway({ rateLimit: { perKey: 1e9, perIp: 1e9, windowSeconds: 60, trustProxy: false } });
  partners = [
    bearer((await createApiKey(gateway.db.prisma, 'Partner A', ['WRITE'])).secret),
    bearer((await createApiKey(gateway.db.prisma, 'Partner B', ['WRITE'])).secret),
  ];
  ({ incident, source } = await seedTargets(gateway));
});
afterAll(() => gateway.close());

// ---------------------------------------------------------------------------------------------
// The reference model: statements and figures as plain rows.

interface ModelFigure {
  id: string;
  statementId: string;
  version: number;
  /** The retraction's reason; null while it stands. */
  retracted: string | null;
  supersededBy: string | null;
}
interface ModelStatement {
  id: string;
  partner: number;
  externalId: string;
  text: string;
  retractedReason: string | null;
  figureIds: string[];
}
interface Model {
  statements: ModelStatement[];
  figures: Map<string, ModelFigure>;
}

const statementOf = (model: Model, figure: ModelFigure) => model.statements.find((s) => s.id === figure.statementId)!;
const isCurrent = (model: Model, figure: ModelFigure) =>
  figure.retracted === null && !figure.supersededBy && statementOf(model, figure).retractedReason === null;

// ---------------------------------------------------------------------------------------------
// Talking to the gateway

const ERRORS = `... on WriteError { message } ... on Conflict { field }`;
const RECORD = `mutation($input: RecordStatementInput!) { recordStatement(input: $input) { __typename ... on RecordPayload { replayed statement { id } figures { id } } ${ERRORS} } }`;
const REVISE = `mutation($input: ReviseFigureInput!) { reviseFigure(input: $input) { __typename ... on RecordPayload { statement { id } figures { id } } ${ERRORS} } }`;
const RETRACT_STATEMENT = `mutation($id: ID!, $reason: String!) { retractStatement(statement: $id, reason: $reason) { __typename ... on RecordPayload { replayed figures { id } } ${ERRORS} } }`;
const RETRACT_FIGURE = `mutation($id: ID!, $reason: String!) { retractFigure(figure: $id, reason: $reason) { __typename ... on RecordPayload { replayed } ${ERRORS} } }`;
const IMPORT = `mutation($records: [String!]!) { importRecords(records: $records, format: NDJSON) { ... on ImportResult { results { status } } } }`;

async function write(query: string, variables: Record<string, unknown>, partner = 0): Promise<any> {
  const response = await gateway.graphql(query, variables, partners[partner]);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return Object.values(response.data as object)[0];
}

const claim = (externalId: string, text: string, counts: number[]) => ({
  externalId,
  kind: 'CASUALTY_REPORT',
  claimant: { kind: 'UNNAMED_GROUP', description: 'police sources', affiliation: 'STATE' },
  madeAt: '2026-02-02',
  text,
  sources: [source],
  incidents: [incident],
  figures: counts.map((n, i) => ({
    metric: i % 2 ? 'INJURED' : 'KILLED',
    victimCategory: 'PEOPLE',
    side: 'CIVILIAN',
    victimDescription: 'people',
    incident,
    quantity: { kind: 'EXACT', low: n, high: n, phrase: String(n) },
  })),
});

/** A write the model says must be refused: the database must not change. */
async function refused(run: () => Promise<any>, typename: string) {
  const before = await databaseFingerprint(gateway.db);
  const result = await run();
  expect(result.__typename).toBe(typename);
  expect(await databaseFingerprint(gateway.db), 'a refused write changed the database').toBe(before);
}

// ---------------------------------------------------------------------------------------------
// Commands

let run = 0;
const ext = (n: number) => `property:${run}:${n}`;

type Command = fc.AsyncCommand<Model, { prefix: string }>;

class RecordClaim implements Command {
  constructor(
    readonly n: number,
    readonly partner: number,
    readonly counts: number[],
  ) {}
  check = () => true;
  async run(model: Model) {
    const externalId = ext(this.n);
    const text = `Police said ${this.counts.join(' and ')} were hurt (${externalId}).`;
    const earlier = model.statements.find((s) => s.externalId === externalId && s.partner === this.partner);
    if (earlier && earlier.text !== text) {
      // The same partner's ID with other content: a Conflict, nothing written.
      return refused(() => write(RECORD, { input: claim(externalId, text, this.counts) }, this.partner), 'Conflict');
    }
    const result = await write(RECORD, { input: claim(externalId, text, this.counts) }, this.partner);
    expect(result.__typename).toBe('RecordPayload');
    if (earlier) {
      expect(result).toMatchObject({ replayed: true, statement: { id: earlier.id } });
      return;
    }
    expect(result.replayed).toBe(false);
    model.statements.push({
      id: result.statement.id,
      partner: this.partner,
      externalId,
      text,
      retractedReason: null,
      figureIds: result.figures.map((f: any) => f.id),
    });
    for (const f of result.figures) model.figures.set(f.id, { id: f.id, statementId: result.statement.id, version: 1, retracted: null, supersededBy: null });
  }
  toString = () => `record(${this.n}, partner ${this.partner}, [${this.counts}])`;
}

class Revise implements Command {
  constructor(
    readonly pick: number,
    readonly stale: boolean,
    readonly concurrent: number,
  ) {}
  check = (model: Readonly<Model>) => model.figures.size > 0;
  async run(model: Model) {
    const figures = [...model.figures.values()];
    const figure = figures[this.pick % figures.length]!;
    const version = this.stale ? figure.version + 1 : figure.version;
    const input = (n: number) => ({
      figure: figure.id,
      expectedVersion: version,
      text: `Revised (${n}).`,
      quantity: { kind: 'EXACT', low: 10 + n, high: 10 + n, phrase: String(10 + n) },
    });
    const revisable = isCurrent(model, figure) && !this.stale;
    if (!revisable || this.concurrent === 1) {
      if (!revisable) return refused(() => write(REVISE, { input: input(0) }), 'Conflict');
      const result = await write(REVISE, { input: input(0) });
      expect(result.__typename).toBe('RecordPayload');
      return this.applied(model, figure, result);
    }
    // Racing editors of one version: exactly one wins.
    const results = await Promise.all(Array.from({ length: this.concurrent }, (_, n) => write(REVISE, { input: input(n) })));
    const won = results.filter((r) => r.__typename === 'RecordPayload');
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.__typename === 'Conflict')).toHaveLength(this.concurrent - 1);
    this.applied(model, figure, won[0]);
  }
  private applied(model: Model, figure: ModelFigure, result: any) {
    const revision = result.figures[0].id;
    figure.version++;
    figure.supersededBy = revision;
    model.statements.push({ id: result.statement.id, partner: 0, externalId: '', text: '', retractedReason: null, figureIds: [revision] });
    model.figures.set(revision, { id: revision, statementId: result.statement.id, version: 1, retracted: null, supersededBy: null });
  }
  toString = () => `revise(${this.pick}, stale ${this.stale}, ×${this.concurrent})`;
}

class RetractStatement implements Command {
  constructor(
    readonly pick: number,
    readonly reason: string,
  ) {}
  check = (model: Readonly<Model>) => model.statements.length > 0;
  async run(model: Model) {
    const statement = model.statements[this.pick % model.statements.length]!;
    if (statement.retractedReason !== null && statement.retractedReason !== this.reason) {
      return refused(() => write(RETRACT_STATEMENT, { id: statement.id, reason: this.reason }), 'Conflict');
    }
    const result = await write(RETRACT_STATEMENT, { id: statement.id, reason: this.reason });
    expect(result.__typename).toBe('RecordPayload');
    if (statement.retractedReason !== null) return void expect(result.replayed).toBe(true);
    statement.retractedReason = this.reason;
    const reached = statement.figureIds.map((id) => model.figures.get(id)!).filter((f) => f.retracted === null);
    expect(result.figures.map((f: any) => f.id).sort()).toEqual(reached.map((f) => f.id).sort());
    for (const figure of reached) {
      figure.retracted = this.reason;
      figure.version++;
    }
  }
  toString = () => `retractStatement(${this.pick}, ${this.reason})`;
}

class RetractFigure implements Command {
  constructor(
    readonly pick: number,
    readonly reason: string,
  ) {}
  check = (model: Readonly<Model>) => model.figures.size > 0;
  async run(model: Model) {
    const figures = [...model.figures.values()];
    const figure = figures[this.pick % figures.length]!;
    // Already retracted (alone, or with its statement): the same reason is a replay, another a Conflict.
    if (figure.retracted !== null && figure.retracted !== this.reason)
      return refused(() => write(RETRACT_FIGURE, { id: figure.id, reason: this.reason }), 'Conflict');
    const result = await write(RETRACT_FIGURE, { id: figure.id, reason: this.reason });
    expect(result.__typename).toBe('RecordPayload');
    if (figure.retracted !== null) return void expect(result.replayed).toBe(true);
    figure.retracted = this.reason;
    figure.version++;
  }
  toString = () => `retractFigure(${this.pick}, ${this.reason})`;
}

class ImportWithBadLine implements Command {
  constructor(readonly n: number) {}
  check = () => true;
  async run(model: Model) {
    const externalId = ext(1000 + this.n);
    if (model.statements.some((s) => s.externalId === externalId)) return;
    const good = JSON.stringify({ ...claim(externalId, `Imported claim ${externalId}.`, [3]), sources: [], incidents: [], figures: [] });
    const bad = JSON.stringify({ ...claim(`${externalId}:bad`, 'Bad date.', [1]), madeAt: '2026-02-30', sources: [], incidents: [], figures: [] });
    const result = await write(IMPORT, { records: [good, bad] });
    expect(result.results.map((r: any) => r.status)).toEqual(['CREATED', 'BAD']);
    const { byExternalId } = (
      await gateway.graphql(`query($id: String!) { byExternalId(recordType: Statement, externalId: $id) { id } }`, { id: externalId }, partners[0])
    ).data;
    model.statements.push({ id: byExternalId.id, partner: 0, externalId, text: `Imported claim ${externalId}.`, retractedReason: null, figureIds: [] });
  }
  toString = () => `importWithBadLine(${this.n})`;
}

const commands = [
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1 }), fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 2 }))
    .map(([n, p, c]) => new RecordClaim(n, p, c)),
  fc.tuple(fc.nat(), fc.boolean(), fc.integer({ min: 1, max: 3 })).map(([pick, stale, k]) => new Revise(pick, stale, k)),
  fc.tuple(fc.nat(), fc.constantFrom('withdrawn', 'duplicate')).map(([pick, reason]) => new RetractStatement(pick, reason)),
  fc.tuple(fc.nat(), fc.constantFrom('withdrawn', 'double counted')).map(([pick, reason]) => new RetractFigure(pick, reason)),
  fc.integer({ min: 1, max: 3 }).map((n) => new ImportWithBadLine(n)),
];

/** Nothing retracted is current in any view, and what is current is what the model says. */
async function checkCurrent(model: Model) {
  const ids = [...model.figures.keys()];
  if (ids.length === 0) return;
  const { nodes } = await gateway.data(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Figure { id isCurrent } } }`, { ids });
  for (const node of nodes) expect(node.isCurrent, `figure ${node.id}`).toBe(isCurrent(model, model.figures.get(node.id)!));
  const { node } = await gateway.data(`query($id: ID!) { node(id: $id) { ... on Incident { claimantFigures { figures { id } } } } }`, { id: incident });
  const shown = new Set<string>(node.claimantFigures.flatMap((group: any) => group.figures.map((f: any) => f.id)));
  const { figures } = await gateway.data(
    `query($incident: ID!) { figures(filter: { incident: $incident, current: true }, first: 100) { edges { node { id } } } }`,
    { incident },
  );
  for (const edge of figures.edges) shown.add(edge.node.id);
  for (const figure of model.figures.values()) if (!isCurrent(model, figure)) expect(shown.has(figure.id), `${figure.id} is not current`).toBe(false);
}

/** The change feed, replayed from the start: each record's last `after`. */
async function replayFeed(): Promise<Map<string, any>> {
  const state = new Map<string, any>();
  let after: string | null = null;
  for (;;) {
    const { changes }: any = await gateway.data(
      `query($after: String) { changes(after: $after, first: 100) { edges { cursor node { entityType entityId after } } pageInfo { hasNextPage } } }`,
      { after },
    );
    for (const { node } of changes.edges) state.set(node.entityId, node.after === null ? null : JSON.parse(node.after));
    if (!changes.pageInfo.hasNextPage) return state;
    after = changes.edges.at(-1).cursor;
  }
}

async function checkFeedReplaysToLiveState() {
  const state = await replayFeed();
  const live = await gateway.data(`{
    statements(filter: { includeRetracted: true }, first: 100) { edges { node { id version text retractedAt retractionReason } } }
    figures(filter: { includeRetracted: true }, first: 100) { edges { node { id version retractedAt retractionReason quantity { kind low high phrase } supersedes { id } } } }
  }`);
  for (const { node } of live.statements.edges) {
    const replayed = state.get(node.id);
    expect(replayed, `statement ${node.id} is in the feed`).toBeTruthy();
    expect({ version: replayed.version, text: replayed.text, retractedAt: replayed.retractedAt, retractionReason: replayed.retractionReason }).toEqual({
      version: node.version,
      text: node.text,
      retractedAt: node.retractedAt,
      retractionReason: node.retractionReason,
    });
  }
  for (const { node } of live.figures.edges) {
    const replayed = state.get(node.id);
    expect(replayed, `figure ${node.id} is in the feed`).toBeTruthy();
    expect({
      version: replayed.version,
      retractedAt: replayed.retractedAt,
      kind: replayed.quantityKind,
      low: replayed.low,
      high: replayed.high,
      phrase: replayed.phrase,
    }).toEqual({
      version: node.version,
      retractedAt: node.retractedAt,
      kind: node.quantity.kind,
      low: node.quantity.low,
      high: node.quantity.high,
      phrase: node.quantity.phrase,
    });
  }
}

describe('random write sequences against the reference model', () => {
  it('never shows a retracted claim as current, never changes a row on a refusal, and the change feed replays to the live state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 12 }), async (sequence) => {
        run++;
        const model: Model = { statements: [], figures: new Map() };
        await fc.asyncModelRun(
          () => ({ model, real: { prefix: `property:${run}` } }),
          [...sequence].map((command) => ({
            check: (m: Readonly<Model>) => command.check(m as Model),
            run: async (m: Model, real: { prefix: string }) => {
              await command.run(m, real);
              await checkCurrent(m);
            },
            toString: () => command.toString(),
          })),
        );
        await checkFeedReplaysToLiveState();
      }),
      { numRuns: RUNS },
    );
  });
});
