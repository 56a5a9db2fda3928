// Faults: concurrent writers (no lost update) on PGlite and PostgreSQL. SIGTERM under load is
// `test/drain.test.ts`; the database going away or freezing is
// `test/faults-database-outage.test.ts` and `test/faults-database-frozen.test.ts` (PostgreSQL
// only); processes racing for a PGlite data directory are `test/embedded-lock.test.ts`; kill -9
// during a bulk import is `test/import.test.ts`.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { bearer, startGateway, type TestGateway } from './support/gateway.js';

describe('concurrent writers (no lost update)', () => {
  let gateway: TestGateway;
  let writer: Record<string, string>;
  const figures: number[] = [];

  beforeAll(async () => {
    gateway = await startGateway();
    const prisma = gateway.db.prisma;
    writer = bearer((await createApiKey(prisma, 'Concurrent newsroom', ['WRITE'])).secret);
    // Fixture figures: copies of a seed figure's statement, one per scenario.
    const template = await prisma.figure.findFirstOrThrow({ where: { retractedAt: null, supersededBy: null }, include: { statement: true } });
    for (let n = 0; n < 8; n++) {
      const statement = await prisma.statement.create({
        data: {
          kind: template.statement.kind,
          claimantKind: 'UNNAMED_GROUP',
          claimantDescription: `concurrency fixture ${n}`,
          text: `Fixture statement ${n} for concurrent revisions.`,
          madeAt: new Date('2026-02-01T00:00:00Z'),
        },
      });
      const figure = await prisma.figure.create({
        data: {
          statementId: statement.id,
          metric: template.metric,
          victimCategory: template.victimCategory,
          side: template.side,
          victimDescription: 'people',
          quantityKind: 'EXACT',
          low: 1,
          high: 1,
          phrase: 'one',
        },
      });
      figures.push(figure.id);
    }
  });
  afterAll(() => gateway?.close());

  const REVISE = `mutation($input: ReviseFigureInput!) { reviseFigure(input: $input) {
    __typename ... on RecordPayload { figures { id version } } ... on Conflict { currentVersion } ... on WriteError { message } } }`;
  const RETRACT = `mutation($figure: ID!, $v: Int) { retractFigure(figure: $figure, reason: "withdrawn", expectedVersion: $v) {
    __typename ... on WriteError { message } } }`;

  const revise = async (figureId: number, expectedVersion: number, n: number) => {
    const response = await gateway.graphql(
      REVISE,
      {
        input: {
          figure: encodeGlobalID('Figure', figureId),
          expectedVersion,
          text: `Revision ${n}.`,
          quantity: { kind: 'EXACT', low: n, high: n, phrase: `${n}` },
        },
      },
      writer,
    );
    expect(response.errors).toBeUndefined();
    return response.data.reviseFigure;
  };

  /** The revision chain from `root`, oldest first. */
  async function chain(root: number) {
    const out = [];
    let id: number | undefined = root;
    while (id !== undefined) {
      const figure: { id: number; version: number; low: number | null; supersededBy: { id: number } | null } = await gateway.db.prisma.figure.findUniqueOrThrow(
        { where: { id }, select: { id: true, version: true, low: true, supersededBy: { select: { id: true } } } },
      );
      out.push(figure);
      id = figure.supersededBy?.id;
    }
    return out;
  }

  it('of 12 writers revising the same version of one figure, exactly one wins; the rest get a Conflict', async () => {
    const [figure] = figures;
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => revise(figure!, 1, 100 + n)));
    const won = results.filter((r) => r.__typename === 'RecordPayload');
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.__typename === 'Conflict')).toHaveLength(11);
    const revisions = await chain(figure!);
    expect(revisions.map((f) => f.id)).toEqual([figure, Number(Buffer.from(won[0].figures[0].id, 'base64').toString().split(':')[1])]);
    expect(revisions[0]!.version).toBe(2);
  });

  it('6 writers each re-reading and retrying until they succeed: all 30 revisions in the chain exactly once', async () => {
    const root = figures[1]!;
    let conflicts = 0;
    const accepted: number[] = [];
    const writerLoop = async (w: number) => {
      for (let k = 0; k < 5; k++) {
        for (let attempt = 0; ; attempt++) {
          expect(attempt).toBeLessThan(200);
          const head = (await chain(root)).at(-1)!;
          const result = await revise(head.id, head.version, w * 100 + k);
          if (result.__typename === 'RecordPayload') {
            accepted.push(Number(Buffer.from(result.figures[0].id, 'base64').toString().split(':')[1]));
            break;
          }
          expect(result.__typename).toBe('Conflict');
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, w) => writerLoop(w)));
    const revisions = await chain(root);
    expect(accepted).toHaveLength(30);
    // Every accepted revision is in the chain exactly once, in the order they were accepted.
    expect(
      revisions
        .slice(1)
        .map((f) => f.id)
        .sort((a, b) => a - b),
    ).toEqual([...accepted].sort((a, b) => a - b));
    expect(new Set(revisions.map((f) => f.id)).size).toBe(31);
    // Ids (commit order) strictly increase along the chain; each superseded figure's version was
    // bumped exactly once by the revision that won it.
    for (let n = 1; n < revisions.length; n++) expect(revisions[n]!.id).toBeGreaterThan(revisions[n - 1]!.id);
    for (const superseded of revisions.slice(0, -1)) expect(superseded.version).toBe(2);
    console.log(`retry loop: 30 revisions accepted, ${conflicts} conflicts retried, chain of ${revisions.length}`);
  });

  it('revisions and retractions racing on the same figure: one wins, the figure is never both', async () => {
    const figure = figures[2]!;
    const racing = await Promise.all([
      ...Array.from({ length: 4 }, (_, n) => revise(figure, 1, 200 + n)),
      ...Array.from({ length: 4 }, () =>
        gateway.graphql(RETRACT, { figure: encodeGlobalID('Figure', figure), v: 1 }, writer).then((r) => r.data.retractFigure),
      ),
    ]);
    expect(racing.filter((r) => r.__typename === 'RecordPayload')).toHaveLength(1);
    const after = await gateway.db.prisma.figure.findUniqueOrThrow({ where: { id: figure }, include: { supersededBy: true } });
    expect(Boolean(after.retractedAt) && Boolean(after.supersededBy)).toBe(false);
    expect(after.version).toBe(2);
  });

  it('writers on different figures do not block each other: all succeed', async () => {
    const mine = figures.slice(3, 8);
    const results = await Promise.all(mine.map((figure, n) => revise(figure, 1, 300 + n)));
    expect(results.map((r) => r.__typename)).toEqual(Array(5).fill('RecordPayload'));
    for (const figure of mine) expect(await chain(figure)).toHaveLength(2);
  });
});
