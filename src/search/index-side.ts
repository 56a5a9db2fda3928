// Which condition each table's GIN index is searched with, for a query whose last word is a
// prefix ("awakachran defence front" → … & front:*). The rows found are the same either way;
// only the cost differs:
//
// - the whole query: for a prefix the index gathers every row under every word starting with it
//   (82,755 statements under "front" at 1M figures, ~12 ms) before intersecting;
// - the whole words only, the prefix checked on each row's stored document: the index skips
//   through the rarest word's rows (~1.5 ms), but every row with the whole words is read from
//   the heap, also those without the prefix ("killed balo": 380,000 statements with "killed").
//
// The SQL function `search_index_head` (migration `…_search_index_side`) chooses from the
// statistics the database keeps on each `searchDocument` column; without statistics (a table
// never analysed, or a small one) the index gets the whole query, as it did before.
import { Prisma } from '../generated/prisma/client.js';

/** The `to_tsquery` texts of a query (`tsqueryTexts`). */
export interface QueryTexts {
  prefix: string;
  head: string;
  last: string;
}

export type SearchTable = 'Statement' | 'Incident' | 'Organisation' | 'Official' | 'OfficialRole' | 'Place';

/**
 * The tables whose rows grow with the record (a statement per claim, an incident per event): the
 * ones where a prefix can gather tens of thousands of entries. Organisations, officials and
 * places are registers of named things (hundreds to tens of thousands of rows, often scanned
 * whole by the planner): they keep the whole query, which spares planning a second SELECT each.
 */
const RECORD_TABLES: readonly SearchTable[] = ['Statement', 'Incident'];

/** The SELECT of a table's matching rows, around `match(document)`, the condition on its document. */
export type Select = (match: (document: Prisma.Sql) => Prisma.Sql) => Prisma.Sql;
/** The rows of `table` that `select` gives, on the index condition the query gets there. */
export type Rows = (table: SearchTable, select: Select) => Prisma.Sql;

/** The CTE's name: one row, a column per record table searched, true where the whole words go to the index. */
const SIDE = Prisma.raw('index_side');

/**
 * Whether the index may get the whole words alone: there are some before the last word and the
 * last is a prefix. (When `english` drops them all as stop words, see `matchingRows`.)
 */
function mayIndexHead(texts: QueryTexts): boolean {
  return texts.head !== '' && texts.last.endsWith(':*');
}

/**
 * The CTE `index_side` for a search of `tables` (null when no table can give its index the whole
 * words alone): `search_index_head` once per record table, for its branches to read.
 */
export function indexSideSql(texts: QueryTexts, words: string[], tables: readonly SearchTable[]): Prisma.Sql | null {
  const decided = RECORD_TABLES.filter((table) => tables.includes(table));
  if (!mayIndexHead(texts) || decided.length === 0) return null;
  const head = words.slice(0, -1).join(' ');
  const last = words[words.length - 1]!;
  const columns = decided.map(
    (table) => Prisma.sql`search_index_head(${Prisma.raw(`'"${table}"'`)}::regclass, ${head}, ${last}) AS ${Prisma.raw(`"${table}"`)}`,
  );
  return Prisma.sql`${SIDE} AS MATERIALIZED (SELECT ${Prisma.join(columns)})`;
}

/**
 * The condition the GIN indexes are searched with when the whole query goes to them: the same rows
 * as `prefixQuery`, written so that the last word's prefix appears once. The index gathers every
 * row under a prefix once per time it appears in the query (82,755 statements under "front" at 1M
 * figures, twice: once per configuration); when both configurations read the last word alike,
 * (E(head) & L) | (S(head) & L) is (E(head) | S(head)) & L. Not when `english` drops every word of
 * the head (stop words: then its side is L alone) or reads the last word otherwise ("attacks" →
 * attack): those keep the OR.
 */
export function indexQuery({ head, last }: QueryTexts, prefixQuery: Prisma.Sql): Prisma.Sql {
  const sameLast = Prisma.sql`to_tsquery('english', ${last}) = to_tsquery('simple', ${last})`;
  if (!head) return Prisma.sql`(CASE WHEN ${sameLast} THEN to_tsquery('simple', ${last}) ELSE ${prefixQuery} END)`;
  return Prisma.sql`(CASE WHEN ${sameLast} AND numnode(to_tsquery('english', ${head})) > 0
    THEN (to_tsquery('english', ${head}) || to_tsquery('simple', ${head})) && to_tsquery('simple', ${last})
    ELSE ${prefixQuery} END)`;
}

/**
 * The rows of `table` that match `prefixQuery`, as `select` reads them, off its GIN index: with
 * the whole query (`indexQuery`), or with the whole words where `index_side` says so (`eitherSide`).
 */
export function matchingRows(table: SearchTable, texts: QueryTexts, prefixQuery: Prisma.Sql, select: Select): Prisma.Sql {
  if (!mayIndexHead(texts) || !RECORD_TABLES.includes(table)) {
    const whole = indexQuery(texts, prefixQuery);
    return select((document) => Prisma.sql`${document} @@ ${whole}`);
  }
  return eitherSide(Prisma.sql`(SELECT ${Prisma.raw(`"${table}"`)} FROM ${SIDE})`, texts, prefixQuery, select);
}

/**
 * The rows that match `prefixQuery`, as `select` reads them, whatever `headOnly` (an SQL boolean)
 * says: where it is true, the index gets the whole words alone, E(head) | S(head), and each row
 * found is checked on the whole query. Every match has the whole words as long as `english` keeps
 * one of them (else its side of the query is the prefix alone): then, and where `headOnly` is
 * false, the index gets the whole query. Two SELECTs, each run or skipped as a whole, so that each
 * is planned on its own constant query (a CASE between the two would hide both from the planner's
 * estimates); the check calls `ts_match_vq`, the function behind `@@`, so that the planner keeps
 * it off the index.
 */
export function eitherSide(headOnly: Prisma.Sql, texts: QueryTexts, prefixQuery: Prisma.Sql, select: Select): Prisma.Sql {
  const whole = indexQuery(texts, prefixQuery);
  const head = Prisma.sql`(numnode(to_tsquery('english', ${texts.head})) > 0 AND ${headOnly})`;
  const headQuery = Prisma.sql`(to_tsquery('english', ${texts.head}) || to_tsquery('simple', ${texts.head}))`;
  return Prisma.sql`${select((document) => Prisma.sql`NOT ${head} AND ${document} @@ ${whole}`)}
    UNION ALL
    ${select((document) => Prisma.sql`${head} AND ${document} @@ ${headQuery} AND ts_match_vq(${document}, ${prefixQuery})`)}`;
}
