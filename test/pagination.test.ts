// Walking the newest-first lists (`incidents`, `statements`) page by page with cursors: every
// item once, in order, undated items last and equal dates broken by id, with and without a
// filter, forwards and backwards; and page 2 read with a LIMIT, not the whole rest of the list.
import { execute, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/context.js';
import { withSqlStatementLog, type SqlStatementLog } from '../src/db/sql-statements.js';
import { inProcessEventBus } from '../src/events/claim-events.js';
import { schema } from '../src/schema/index.js';
import { startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway();
  // Undated items and items sharing one date, created interleaved so that id order and date
  // order disagree; half of them of a kind the filter tests select.
  const prisma = gateway.db.prisma;
  const tie = new Date('2026-02-15T00:00:00Z');
  for (const [index, date] of [null, tie, null, tie, tie, null, tie, new Date('2026-02-16T00:00:00Z'), null].entries()) {
    const selected = index % 2 === 0;
    const incident = await prisma.incident.create({
      data: { title: `Fixture incident ${index}`, kind: selected ? 'CLASH' : 'BLOCKADE', startedAt: date },
    });
    await prisma.statement.create({
      data: {
        kind: selected ? 'DENIAL' : 'SITUATION_REPORT',
        claimantKind: 'UNNAMED_GROUP',
        claimantDescription: 'fixture residents',
        text: `Fixture statement ${index}`,
        madeAt: date,
        incidents: { create: { incidentId: incident.id } },
      },
    });
  }
});
afterAll(() => gateway.close());

interface Item {
  id: string;
  date: string | null;
  cursor: string;
}

const TIE = '2026-02-15T00:00:00.000Z';
const lists = [
  { list: 'incidents', date: 'startedAt', filter: { kinds: ['CLASH'] } },
  { list: 'statements', date: 'madeAt', filter: { kinds: ['DENIAL'] } },
] as const;
type List = (typeof lists)[number];

const pageQuery = ({
  list,
  date,
}: List) => `query($first: Int, $after: String, $last: Int, $before: String, $filter: ${list === 'incidents' ? 'IncidentFilter' : 'StatementFilter'}) {
  ${list}(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id date: ${date} } } } }`;

interface Page {
  items: Item[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  sqlStatements: number;
}

async function page(list: List, variables: Record<string, unknown>): Promise<Page> {
  const response = await gateway.graphql(pageQuery(list), variables);
  expect(response.errors).toBeUndefined();
  const { edges, pageInfo } = response.data[list.list];
  return { items: edges.map((edge: any) => ({ ...edge.node, cursor: edge.cursor })), pageInfo, sqlStatements: response.extensions!.sqlStatements! };
}

/** Newest first, undated last, ties by id (highest first): the order the lists promise. */
function listOrder(a: Item, b: Item): number {
  if (a.date !== b.date) return a.date === null ? 1 : b.date === null ? -1 : b.date.localeCompare(a.date);
  return databaseId(b.id) - databaseId(a.id);
}

function databaseId(globalId: string): number {
  return Number(Buffer.from(globalId, 'base64').toString().split(':').at(-1));
}

/** Every item of the list, read two at a time: forwards with `after`, or backwards with `before`. */
async function walk(list: List, forwards: boolean, filter?: List['filter']): Promise<Item[]> {
  const seen: Item[] = [];
  let cursor: string | null = null;
  for (;;) {
    const { items, pageInfo } = await page(list, forwards ? { first: 2, after: cursor, filter } : { last: 2, before: cursor, filter });
    if (forwards) seen.push(...items);
    else seen.unshift(...items);
    if (!(forwards ? pageInfo.hasNextPage : pageInfo.hasPreviousPage)) return seen;
    cursor = forwards ? pageInfo.endCursor : pageInfo.startCursor;
  }
}

describe.each(lists)('$list, two at a time', (list) => {
  let whole: Item[];
  beforeAll(async () => {
    whole = (await page(list, { first: 500 })).items;
  });

  it('lists undated items last and breaks equal dates by id', () => {
    expect(whole).toEqual([...whole].sort(listOrder));
    expect(whole.filter((item) => item.date === null).length).toBeGreaterThanOrEqual(4);
    expect(whole.filter((item) => item.date === TIE)).toHaveLength(4);
  });

  it('walks forwards through every item once, in order', async () => {
    expect(await walk(list, true)).toEqual(whole);
  });

  it('walks backwards through every item once, in order', async () => {
    expect(await walk(list, false)).toEqual(whole);
  });

  it('walks a filtered list the same way', async () => {
    const { filter } = list;
    const filtered = (await page(list, { first: 500, filter })).items;
    expect(filtered.length).toBeLessThan(whole.length);
    expect(filtered.filter((item) => item.date === null).length).toBeGreaterThanOrEqual(2);
    expect(filtered.filter((item) => item.date === TIE)).toHaveLength(2);
    expect(await walk(list, true, filter)).toEqual(filtered);
    expect(await walk(list, false, filter)).toEqual(filtered);
  });

  it('pages from an undated item into the rest, and from the last dated item into the undated ones', async () => {
    const firstUndated = whole.findIndex((item) => item.date === null);
    const lastDated = whole[firstUndated - 1]!.cursor;
    expect((await page(list, { first: 3, after: lastDated })).items).toEqual(whole.slice(firstUndated, firstUndated + 3));
    expect((await page(list, { last: 3, before: whole[firstUndated]!.cursor })).items).toEqual(whole.slice(firstUndated - 3, firstUndated));
    // Three items starting two before the end of the dated run: two dated, then the first undated.
    expect((await page(list, { first: 3, after: whole[firstUndated - 3]!.cursor })).items).toEqual(whole.slice(firstUndated - 2, firstUndated + 1));
    // Three items ending two after the start of the undated run: the last dated, then two undated.
    expect((await page(list, { last: 3, before: whole[firstUndated + 2]!.cursor })).items).toEqual(whole.slice(firstUndated - 1, firstUndated + 2));
  });

  it('reads page 2 in one SQL statement, whatever its size', async () => {
    const first = await page(list, { first: 2 });
    const small = await page(list, { first: 2, after: first.pageInfo.endCursor });
    const large = await page(list, { first: 50, after: first.pageInfo.endCursor });
    expect(large.items.length).toBeGreaterThan(small.items.length);
    // One compiled statement, as for the first page: the cursor's date and both runs are read in it.
    expect(first.sqlStatements).toBe(1);
    expect(small.sqlStatements).toBe(1);
    expect(large.sqlStatements).toBe(1);
  });

  it('sends page 2 with a LIMIT', async () => {
    const first = await page(list, { first: 2 });
    const log: SqlStatementLog = { count: 0, statements: [] };
    const context = createContext({ prisma: gateway.db.prisma, caller: null, publicReads: true, events: inProcessEventBus() });
    const document = parse(pageQuery(list));
    const result = await withSqlStatementLog(log, () =>
      execute({ schema, document, contextValue: context, variableValues: { first: 2, after: first.pageInfo.endCursor } }),
    );
    expect(result.errors).toBeUndefined();
    const table = list.list === 'incidents' ? '"Incident"' : '"Statement"';
    const pageReads = log.statements.filter((sql) => sql.includes(`FROM "public".${table}`) && sql.includes('ORDER BY'));
    expect(pageReads).toHaveLength(1);
    // Prisma's own cursor read every item after the cursor (no LIMIT) and cut the page in Node.
    expect(pageReads[0]).toMatch(/\bLIMIT\b/);
  });
});

describe('a cursor whose item changed', () => {
  it('says so when the item is gone, instead of answering an empty page', async () => {
    const prisma = gateway.db.prisma;
    const madeAt = new Date('2026-02-14T00:00:00Z');
    const gone = {
      incidents: await prisma.incident.create({ data: { title: 'Fixture incident to delete', kind: 'OTHER', startedAt: madeAt } }),
      statements: await prisma.statement.create({
        data: { kind: 'OTHER', claimantKind: 'UNNAMED_PERSON', claimantDescription: 'a fixture witness', text: 'Fixture statement to delete', madeAt },
      }),
    };
    const cursors = await Promise.all(
      lists.map(async (list) => (await page(list, { first: 500 })).items.find((item) => databaseId(item.id) === gone[list.list].id)!.cursor),
    );
    await prisma.incident.delete({ where: { id: gone.incidents.id } });
    await prisma.statement.delete({ where: { id: gone.statements.id } });

    for (const [index, list] of lists.entries()) {
      for (const [variables, argument] of [
        [{ first: 2, after: cursors[index] }, 'after'],
        [{ last: 2, before: cursors[index] }, 'before'],
      ] as const) {
        const response = await gateway.graphql(pageQuery(list), variables);
        expect(response.data?.[list.list] ?? null).toBeNull();
        expect(response.errors?.[0]).toMatchObject({
          message: `${argument}: the cursor points at ${list.list === 'incidents' ? 'an incident' : 'a statement'} that no longer exists (merged away or deleted): start again from the first page`,
          extensions: { code: 'BAD_USER_INPUT', argument },
        });
      }
    }
  });

  it('goes on after an item that left the list (a statement retracted between pages)', async () => {
    const [, statements] = lists;
    const retracted = await gateway.db.prisma.statement.create({
      data: {
        kind: 'OTHER',
        claimantKind: 'UNNAMED_PERSON',
        claimantDescription: 'a fixture witness',
        text: 'Fixture statement to retract',
        madeAt: new Date('2026-02-15T00:00:00Z'),
      },
    });
    const listed = (await page(statements, { first: 500 })).items;
    const at = listed.findIndex((item) => databaseId(item.id) === retracted.id);
    await gateway.db.prisma.statement.update({ where: { id: retracted.id }, data: { retractedAt: new Date(), retractionReason: 'fixture' } });
    // Prisma's own cursor answered an empty page here: the cursor row no longer matched the filter.
    expect((await page(statements, { first: 3, after: listed[at]!.cursor })).items).toEqual(listed.slice(at + 1, at + 4));
  });
});
