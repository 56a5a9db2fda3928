// Which side of a query the GIN index gets (src/search/index-side.ts, `search_index_head` in
// migration `…_search_index_side`): the whole words alone when the statistics say the last word,
// a prefix, is in far more rows, the whole query otherwise; the hits are the same either way.
// On 10,500 statements of a few made-up words, so that the table is big enough to be looked at
// and the statistics are known: "zorvath" in 3% of them, a word starting with "front" in 53%.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.js';
import { type SearchHit, search, searchSql, searchWords, tsqueryTexts } from '../src/search/search.js';
import { startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway();
  const prisma = gateway.db.prisma;
  // Statistics only from the ANALYZE below, not from autovacuum in between.
  await prisma.$executeRaw`ALTER TABLE "Statement" SET (autovacuum_enabled = false)`;
  await prisma.$executeRaw`
    INSERT INTO "Statement" (kind, "claimantKind", "claimantDescription", text, "updatedAt")
    SELECT 'SITUATION_REPORT', 'UNNAMED_GROUP', 'a spokesman',
           CASE
             WHEN n % 100 = 0 THEN 'Zorvath fighters held the front near the river ' || n
             WHEN n % 100 = 50 THEN 'Zorvath fighters guarded the frontage ' || n
             WHEN n % 100 = 25 THEN 'Zorvath fighters rested in the hills ' || n
             WHEN n % 2 = 0 THEN 'Grel patrols watched the frontier ' || n
             ELSE 'Grel patrols watched the hills ' || n
           END,
           now()
    FROM generate_series(1, 10500) n`;
}, 120_000);
afterAll(() => gateway.close());

/** Every hit of `query` over all pages, as `search` returns them (no cache between). */
async function allHits(query: string): Promise<{ totalCount: number; hits: SearchHit[] }> {
  const hits: SearchHit[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await search(gateway.db.prisma, { query, first: 100, after });
    hits.push(...page.hits);
    if (!page.hasNextPage) return { totalCount: page.totalCount, hits };
    after = page.hits[page.hits.length - 1]!.cursor;
  }
}

/** The ids of the current statements that match `query` by definition: the prefix query on every row, no index. */
async function statementsMatching(query: string): Promise<number[]> {
  const { prefix } = tsqueryTexts(searchWords(query));
  const rows = await gateway.db.prisma.$queryRaw<{ id: number }[]>(Prisma.sql`
    SELECT id FROM "Statement"
    WHERE ts_match_vq("searchDocument", to_tsquery('english', ${prefix}) || to_tsquery('simple', ${prefix})) AND "retractedAt" IS NULL
    ORDER BY id`);
  return rows.map((row) => row.id);
}

const headOnly = async (words: string, last: string, table = 'Statement') =>
  (
    await gateway.db.prisma.$queryRaw<{ head: boolean }[]>(
      Prisma.sql`SELECT search_index_head(${Prisma.raw(`'"${table}"'`)}::regclass, ${words}, ${last}) AS head`,
    )
  )[0]!.head;

/** The Statement index conditions of the search statement's plan that ran, and the rows each found. */
async function statementIndexScans(query: string): Promise<{ condition: string; rows: number }[]> {
  const prisma = gateway.db.prisma;
  // On this small table a scan of the whole of it can cost about as much as the index: off, to see the index conditions.
  const [, plan] = await prisma.$transaction([
    prisma.$executeRaw`SET LOCAL enable_seqscan = off`,
    prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN (ANALYZE, COSTS OFF) ${searchSql({ query, first: 20 })}`),
  ]);
  const lines = plan.map((row) => row['QUERY PLAN']);
  return lines.flatMap((line, n) => {
    const found = /Bitmap Index Scan on "?Statement_searchDocument_idx"?.*\(actual .*rows=(\d+)/.exec(line);
    return found ? [{ rows: Number(found[1]), condition: lines[n + 1]!.trim() }] : [];
  });
}

const QUERIES = ['zorvath front', 'zorvath fighters fro', 'zorvath frontage', 'the front', 'grel zorv', 'grel patrols fro', 'zorvath hills', 'fighters the fr'];

describe('the side of the query the index gets', () => {
  it('without statistics the whole query; with them, the whole words where the prefix is far more common', async () => {
    const before = await Promise.all(QUERIES.map(allHits));
    expect(await headOnly('zorvath', 'front')).toBe(false); // not analysed yet: the whole query

    await gateway.db.prisma.$executeRaw`ANALYZE "Statement"`;
    // "zorvath" is in 3% of the statements, words starting with "front" in 53%
    expect(await headOnly('zorvath', 'front')).toBe(true);
    expect(await headOnly('zorvath fighters', 'fro')).toBe(true);
    // "grel" is in 97%, words starting with "zorv" in 3%: the whole query
    expect(await headOnly('grel', 'zorv')).toBe(false);
    // a stop word does not bound the rows (`english` drops it): the whole query
    expect(await headOnly('the', 'front')).toBe(false);
    // the seed's few incidents: too few rows to look at
    expect(await headOnly('zorvath', 'front', 'Incident')).toBe(false);

    // The same hits, ranks, snippets and order as without statistics, and as the definition.
    for (const [n, query] of QUERIES.entries()) {
      const after = await allHits(query);
      expect(after, query).toEqual(before[n]);
      const statements = after.hits.filter((hit) => hit.kind === 'STATEMENT').map((hit) => hit.id);
      expect(
        statements.sort((a, b) => a - b),
        query,
      ).toEqual(await statementsMatching(query));
    }
    expect(before[0]!.totalCount).toBe(105 + 105); // "front" and "frontage" (a prefix-only match)
  }, 120_000);

  it('the statement searches the index on the whole words alone when the prefix is common, on the whole query when it is not', async () => {
    await gateway.db.prisma.$executeRaw`ANALYZE "Statement"`;
    const [scan] = await statementIndexScans('zorvath front');
    // the rows with "zorvath" (315), the prefix checked on each
    expect(scan).toEqual({ rows: 315, condition: expect.not.stringContaining(':*') });
    const [whole] = await statementIndexScans('grel zorv');
    expect(whole).toEqual({ rows: 0, condition: expect.stringContaining("''zorv'':*") });
  });

  it('random words and prefixes find the statements that match them, whichever side the index gets', async () => {
    await gateway.db.prisma.$executeRaw`ANALYZE "Statement"`;
    const words = [
      'zorvath',
      'fighters',
      'held',
      'front',
      'river',
      'guarded',
      'frontage',
      'rested',
      'hills',
      'grel',
      'patrols',
      'watched',
      'frontier',
      'the',
      'in',
      'near',
    ];
    let seed = 20261204;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let sides = 0;
    for (let n = 0; n < 25; n++) {
      const picked = Array.from({ length: 2 + random(2) }, () => words[random(words.length)]!);
      const last = picked.pop()!;
      const query = [...picked, last.slice(0, 2 + random(last.length - 1))].join(' ');
      const { totalCount, hits } = await allHits(query);
      const statements = hits.filter((hit) => hit.kind === 'STATEMENT').map((hit) => hit.id);
      expect(
        statements.sort((a, b) => a - b),
        query,
      ).toEqual(await statementsMatching(query));
      expect(hits.length, query).toBe(totalCount);
      const { head, last: prefix } = tsqueryTexts(searchWords(query));
      if (await headOnly(head.replaceAll(' & ', ' '), prefix.replace(':*', ''))) sides++;
    }
    expect(sides).toBeGreaterThan(0); // some took the whole words alone
  }, 120_000);
});
