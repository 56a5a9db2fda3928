// Compiled pages read from a cursor (src/reads/shapes.ts `connection`), forwards and backwards,
// answer what execution answers, page for page: every list walked both ways by a gateway that
// compiles and one that executes, over the same database, with undated items and equal dates
// among them (src/schema/keyset.ts, the one rule for newest-first lists, has a twin here).
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Comparison, startComparison } from './support/compiled.js';
import type { TestGateway } from './support/gateway.js';

let comparison: Comparison;
let gateway: TestGateway;
const both: Comparison['both'] = (query, variables) => comparison.both(query, variables);

beforeAll(async () => {
  comparison = await startComparison();
  gateway = comparison.gateway;
}, 120_000);
afterAll(() => comparison?.close());

// Falling back hides a broken twin from every comparison: none may have fallen back.
afterAll(() => expect(comparison.logged).toEqual([]));

describe('compiled pages after a cursor', () => {
  const FIGURES = `query Figures($after: String, $filter: FigureFilter) {
    figures(first: 7, after: $after, filter: $filter) {
      totalCount totalCountKind pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id side ${'quantity { kind low high phrase }'} statement { id claimantDescription } } }
    }
  }`;

  it('page through figures as execution does, filtered or not, to the end', async () => {
    for (const filter of [
      null,
      { metrics: ['KILLED'], current: true },
      { current: false, includeRetracted: true },
      { sides: ['CIVILIAN'], includeRetracted: true },
      // Found by the fuzzing in CI: an empty list matches nothing.
      { victimCategories: [] },
    ]) {
      let after: string | null = null;
      for (let page = 0; page < 6; page++) {
        const { compiled, reference } = await both(FIGURES, { after, filter });
        expect(reference.errors).toBeUndefined();
        expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(reference.data));
        expect(compiled.extensions?.sqlStatements).toBe(1);
        after = compiled.data.figures.pageInfo.endCursor;
        if (!compiled.data.figures.pageInfo.hasNextPage) break;
      }
    }
  });

  it("resume an incident's statements after a cursor, even one whose statement was retracted since", async () => {
    const busy = `{ incidents(first: 100) { edges { node { id statements(first: 2) { totalCount pageInfo { endCursor hasNextPage } edges { node { id } } } } } } }`;
    const { incidents } = (await both(busy)).reference.data;
    const withMore = incidents.edges.map((edge: any) => edge.node).find((node: any) => node.statements.pageInfo.hasNextPage);
    expect(withMore).toBeDefined();
    const PAGE = `query Page($id: ID!, $after: String) { node(id: $id) { ... on Incident { statements(first: 2, after: $after) {
      pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id text } } } } } }`;
    const next = await both(PAGE, { id: withMore.id, after: withMore.statements.pageInfo.endCursor });
    expect(JSON.stringify(next.compiled.data)).toBe(JSON.stringify(next.reference.data));
    expect(next.compiled.extensions?.sqlStatements).toBe(1);
    // The cursor's statement retracted: the page goes on from where it stood, as execution's does.
    const cursorStatement = withMore.statements.edges.at(-1).node.id;
    await gateway.db.prisma.statement.update({ where: { id: Number(decodeGlobalID(cursorStatement).id) }, data: { retractedAt: new Date() } });
    const after = await both(PAGE, { id: withMore.id, after: withMore.statements.pageInfo.endCursor });
    expect(JSON.stringify(after.compiled.data)).toBe(JSON.stringify(after.reference.data));
  });
});

describe('compiled pages from a cursor, either way', () => {
  const pageOf = (node: string) => `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${node} } }`;
  const PAGE = pageOf('id');
  const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
  const cursorOf = (id: number) => Buffer.from(`GPC:N:${id}`).toString('base64');
  /** A list to walk: the document for page arguments, and where its connection is in the answer. */
  type List = { name: string; query: (page: string) => string; connection: (data: any) => any };
  let lists: List[];

  beforeAll(async () => {
    const prisma = gateway.db.prisma;
    const busiest = async (sql: string) => ((await prisma.$queryRawUnsafe(sql)) as { id: number }[])[0]!.id;
    const organisation = await busiest(
      `SELECT "organisationId" AS id FROM "Statement" WHERE "organisationId" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    const official = await busiest(`SELECT "officialId" AS id FROM "Statement" WHERE "officialId" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const incident = await busiest(`SELECT "incidentId" AS id FROM "StatementIncident" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const place = await busiest(`SELECT "parentId" AS id FROM "Place" WHERE "parentId" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const figurePlace = await busiest(`SELECT "placeId" AS id FROM "Figure" WHERE "placeId" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const source = await busiest(`SELECT "sourceId" AS id FROM "StatementSource" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    // Undated statements and incidents, and several on one date, among the synthetic ones: the
    // two runs of a newest-first list, and ties broken by id.
    const tie = new Date('2026-02-15T00:00:00Z');
    for (const madeAt of [null, tie, null, tie, null, tie, null]) {
      const created = await prisma.incident.create({
        data: { title: 'Paging fixture', kind: 'CLASH', startedAt: madeAt, places: { create: { placeId: place } } },
      });
      await prisma.statement.create({
        data: {
          kind: 'DENIAL',
          claimantKind: 'ORGANISATION',
          organisationId: organisation,
          claimantDescription: 'paging fixture',
          text: 'Paging fixture',
          madeAt,
          incidents: { create: { incidentId: created.id } },
        },
      });
    }
    const on = (type: string, id: number, field: string, node = 'id') => ({
      name: `${type}.${field}`,
      query: (page: string) => `{ node(id: "${globalId(type, id)}") { ... on ${type} { ${field}(${page}) { ${pageOf(node)} } } } }`,
      connection: (data: any) => data.node[field.replace(/\(.*/, '')],
    });
    lists = [
      ...['incidents', 'statements', 'figures', 'organisations', 'places', 'officials', 'sources'].map((list) => ({
        name: list,
        query: (page: string) => `{ ${list}(${page}) { ${PAGE} } }`,
        connection: (data: any) => data[list],
      })),
      {
        name: 'current killed figures',
        query: (page: string) => `{ figures(${page}, filter: { metrics: [KILLED], current: true }) { ${PAGE} } }`,
        connection: (data: any) => data.figures,
      },
      on('Organisation', organisation, 'statements'),
      on('Organisation', organisation, 'participations', 'role description incident { id }'),
      on('Official', official, 'statements'),
      on('Incident', incident, 'statements'),
      on('Incident', incident, 'figures'),
      on('Place', place, 'incidents'),
      {
        ...on('Place', place, 'incidents'),
        name: 'Place.incidents without sub-places',
        query: (page: string) => on('Place', place, 'incidents').query(`${page}, includeSubPlaces: false`),
      },
      on('Place', figurePlace, 'figures'),
      on('Source', source, 'statements'),
    ];
  });

  /** One page asked of both gateways: the same answer, compiled into one statement. */
  async function page(list: List, args: string) {
    const { compiled, reference } = await both(list.query(args));
    expect(reference.errors, `${list.name}(${args})`).toBeUndefined();
    expect(JSON.stringify(compiled.data), `${list.name}(${args})`).toBe(JSON.stringify(reference.data));
    expect(compiled.extensions?.sqlStatements, `${list.name}(${args})`).toBe(1);
    return list.connection(compiled.data);
  }

  it('walk every list forwards and backwards as execution does, page for page', async () => {
    for (const list of lists) {
      let pages = 0;
      let connection = await page(list, 'first: 4');
      while (connection.pageInfo.hasNextPage && pages++ < 10) connection = await page(list, `first: 4, after: "${connection.pageInfo.endCursor}"`);
      let backwards = 0;
      connection = await page(list, 'last: 4');
      while (connection.pageInfo.hasPreviousPage && backwards++ < 10) connection = await page(list, `last: 4, before: "${connection.pageInfo.startCursor}"`);
      // Each list is long enough to page through: the walk read pages from a cursor both ways.
      expect([list.name, pages > 0 && backwards > 0]).toEqual([list.name, true]);
      // Sizes at the edges: none, one, past the largest page.
      for (const size of ['last: 0', 'last: 1', 'last: 500', 'first: 0']) await page(list, size);
    }
  }, 120_000);

  it('say so, as execution does, when the cursor points at an item that is gone', async () => {
    const prisma = gateway.db.prisma;
    const organisationId = (await prisma.statement.findFirstOrThrow({ where: { claimantDescription: 'paging fixture' } })).organisationId!;
    const gone = await prisma.statement.create({
      data: { kind: 'DENIAL', claimantKind: 'ORGANISATION', organisationId, claimantDescription: 'gone', text: 'Deleted before the next page', madeAt: null },
    });
    await prisma.statement.delete({ where: { id: gone.id } });
    for (const query of [
      `{ statements(first: 3, after: "${cursorOf(gone.id)}") { ${PAGE} } }`,
      `{ statements(last: 3, before: "${cursorOf(gone.id)}") { ${PAGE} } }`,
      `{ node(id: "${globalId('Organisation', organisationId)}") { ... on Organisation { statements(first: 3, after: "${cursorOf(gone.id)}") { ${PAGE} } } } }`,
    ]) {
      const { compiled, reference } = await both(query);
      expect(reference.errors?.[0]?.message, query).toMatch(/no longer exists/);
      // Answered by execution (the compiled statement said its cursor row is gone, and ran too).
      expect(JSON.stringify([compiled.errors, compiled.data]), query).toBe(JSON.stringify([reference.errors, reference.data]));
    }
    // A figure (a list in id order, paged by Prisma's cursor): an empty page, compiled too.
    const figure = await page(lists.find((list) => list.name === 'figures')!, `first: 3, after: "${cursorOf(2_000_000)}"`);
    expect(figure.edges).toEqual([]);
  });
});
