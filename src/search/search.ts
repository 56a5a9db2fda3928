// Full-text search over statements, incidents, organisations, officials and places, ranked,
// in one SQL statement on PostgreSQL's own text search (PGlite and a server alike).
//
// The search documents are built by IMMUTABLE SQL functions (migration `20261126130000_search`)
// and stored by the database in a generated `searchDocument` column per table, with a GIN index
// each (`20261204013000_search_documents`): the statement matches and ranks on the stored
// document, so the cost of a match is reading it, not rebuilding it. Names and aliases are
// indexed with the `simple` and the `english` configurations, prose with `english`; the query
// goes through both, OR-ed. Which part of the query each GIN index is searched with (the whole
// query, or the whole words alone with the last word's prefix checked per row) is
// ./index-side.ts.
import { visibleStatementSql } from '../claims/standing.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { indexSideSql, matchingRows, type QueryTexts, type Rows, type SearchTable } from './index-side.js';

// for test/search-documents.test.ts, which checks it finds the rows of the query it stands for
export { indexQuery } from './index-side.js';

export const SEARCH_KINDS = ['STATEMENT', 'INCIDENT', 'ORGANISATION', 'OFFICIAL', 'PLACE'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchHit {
  kind: SearchKind;
  /** The database id of the row, in the table of its kind. */
  id: number;
  /** Higher is better. Only comparable within one search. */
  rank: number;
  /** A short extract with the matching words between « and », when the row has text to show. */
  headline: string | null;
  /** Opaque: pass as `after` to get the hits after this one. */
  cursor: string;
}

export interface SearchPage {
  hits: SearchHit[];
  /** How many rows match, across all pages. */
  totalCount: number;
  /** True when there are more hits after the last one returned. */
  hasNextPage: boolean;
}

export interface SearchArgs {
  query: string;
  /** Also find retracted statements (they are out of current views otherwise). */
  includeRetracted?: boolean | null;
  /** Only these kinds; all kinds when left out. */
  kinds?: readonly SearchKind[] | null;
  /** How many hits to return (0 to 100; 0 for the count alone). */
  first: number;
  /** A hit's `cursor`: return the hits ranked after it. */
  after?: string | null;
}

/** A search argument that cannot be used; `argument` names it. */
export class SearchInputError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
    this.name = 'SearchInputError';
  }
}

export const MAX_SEARCH_WORDS = 16;
export const MAX_SEARCH_PAGE = 100;

/**
 * The words of a query, lower-cased, as the text-search parser would split them: letters and
 * digits only, so nothing a user types can become a tsquery operator (& | ! <-> : * ( ) ').
 */
export function searchWords(query: string): string[] {
  return (
    query
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).slice(0, MAX_SEARCH_WORDS);
}

/**
 * `to_tsquery` inputs: every word must match (AND); the prefix form lets the last word match as
 * the start of a word ("balo" → Baloch, Balochistan) when it has at least two letters. `head` and
 * `last` are the prefix form's two parts: the words before the last one, and the last one.
 */
export function tsqueryTexts(words: string[]): QueryTexts & { exact: string } {
  const exact = words.join(' & ');
  const word = words[words.length - 1]!;
  const last = word.length >= 2 ? `${word}:*` : word;
  const head = words.slice(0, -1).join(' & ');
  return { exact, prefix: head ? `${head} & ${last}` : last, head, last };
}

interface Cursor {
  rank: number;
  kind: SearchKind;
  id: number;
}

function decodeCursor(after: string): Cursor {
  try {
    const [rank, kind, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown[];
    if (typeof rank === 'number' && Number.isFinite(rank) && SEARCH_KINDS.includes(kind as SearchKind) && Number.isSafeInteger(id)) {
      return { rank, kind: kind as SearchKind, id: id as number };
    }
  } catch {
    // fall through to the error below
  }
  throw new SearchInputError('after', `after: "${after}" is not a search cursor; pass the \`cursor\` of a hit from an earlier search`);
}

/** The tables a kind's rows are found in. */
const KIND_TABLES: Record<SearchKind, SearchTable[]> = {
  STATEMENT: ['Statement'],
  INCIDENT: ['Incident'],
  ORGANISATION: ['Organisation'],
  OFFICIAL: ['Official', 'OfficialRole'],
  PLACE: ['Place'],
};

/**
 * One branch of the UNION: the rows of one kind that match and their search document, the
 * column the database keeps from the kind's IMMUTABLE function (migration `…_search_documents`),
 * read off its GIN index by `rows` (on the condition ./index-side.ts gives each table).
 */
function branch(kind: SearchKind, rows: Rows, includeRetracted: boolean): Prisma.Sql {
  switch (kind) {
    case 'STATEMENT':
      return rows(
        'Statement',
        (match) => Prisma.sql`
        SELECT 'STATEMENT' AS kind, s.id, s."searchDocument" AS doc
        FROM "Statement" s
        WHERE ${match(Prisma.raw('s."searchDocument"'))} AND ${visibleStatementSql(Prisma.raw('s'), { includeRetracted })}`,
      );
    case 'INCIDENT':
      return rows(
        'Incident',
        (match) => Prisma.sql`SELECT 'INCIDENT' AS kind, i.id, i."searchDocument" AS doc FROM "Incident" i WHERE ${match(Prisma.raw('i."searchDocument"'))}`,
      );
    case 'ORGANISATION':
      return rows(
        'Organisation',
        (match) =>
          Prisma.sql`SELECT 'ORGANISATION' AS kind, o.id, o."searchDocument" AS doc FROM "Organisation" o WHERE ${match(Prisma.raw('o."searchDocument"'))}`,
      );
    case 'OFFICIAL':
      // Found by its own fields or by the title of one of its roles (each side on its index); its
      // document is its own and its roles' titles, joined here for the officials found.
      return Prisma.sql`
        SELECT 'OFFICIAL' AS kind, p.id, p."searchDocument" || search_official_role(${officialRoleTitles(Prisma.raw('p'))}) AS doc
        FROM "Official" p
        WHERE p.id IN (
          ${rows('Official', (match) => Prisma.sql`SELECT id FROM "Official" WHERE ${match(Prisma.raw('"searchDocument"'))}`)}
          UNION
          ${rows('OfficialRole', (match) => Prisma.sql`SELECT "officialId" FROM "OfficialRole" WHERE ${match(Prisma.raw('"searchDocument"'))}`)}
        )`;
    case 'PLACE':
      return rows(
        'Place',
        (match) => Prisma.sql`SELECT 'PLACE' AS kind, pl.id, pl."searchDocument" AS doc FROM "Place" pl WHERE ${match(Prisma.raw('pl."searchDocument"'))}`,
      );
  }
}

/** An official's role titles, in one text, as its search document and its excerpt read them. */
const officialRoleTitles = (official: Prisma.Sql) =>
  Prisma.sql`(SELECT string_agg(r."title", ', ' ORDER BY r.id) FROM "OfficialRole" r WHERE r."officialId" = ${official}.id)`;

/** The text a hit's snippet is cut from: the row `page.id` of `page.kind`'s table (read for the page's hits only). */
const hitBody = Prisma.sql`CASE page.kind
  WHEN 'STATEMENT' THEN (SELECT concat_ws(' — ', s."text", s."verificationNote", s."claimantDescription") FROM "Statement" s WHERE s.id = page.id)
  WHEN 'INCIDENT' THEN (SELECT concat_ws(' — ', i."title", i."description") FROM "Incident" i WHERE i.id = page.id)
  WHEN 'ORGANISATION' THEN (SELECT concat_ws(' — ', o."name", nullif(array_to_string(o."aliases", ', '), ''), o."description", o."notes") FROM "Organisation" o WHERE o.id = page.id)
  WHEN 'OFFICIAL' THEN (SELECT concat_ws(' — ', p."name", p."description", ${officialRoleTitles(Prisma.raw('p'))}) FROM "Official" p WHERE p.id = page.id)
  WHEN 'PLACE' THEN (SELECT concat_ws(' — ', pl."name", nullif(array_to_string(pl."aliases", ', '), ''), pl."description") FROM "Place" pl WHERE pl.id = page.id)
END`;

/**
 * Searches every kind (or `kinds`) for `query` and returns one page of hits, best first (ties:
 * by kind, then id). One SQL statement: the matches of each kind (UNION ALL, each on its GIN
 * index), ranked, counted, paged, and excerpted with ts_headline for the page only.
 *
 * Ranking: rows where every word matched as a whole word come first (rank 1 to 2), then rows
 * found only because the last word is the start of a longer one (rank 0 to 1: "bla" finds
 * "blast" after everything about the BLA). Within each, ts_rank with weights A (names, aliases,
 * titles) > B (statement text, role titles) > C > D, divided by the log of the document's length
 * (a short name that matches beats a long text that mentions the word) and scaled into 0 to 1.
 */
export async function search(prisma: PrismaClient, args: SearchArgs): Promise<SearchPage> {
  const result = await prisma.$queryRaw<SearchRow[]>(searchSql(args));
  const rows = result.filter((row): row is SearchRow & { kind: SearchKind } => row.kind !== null);
  return {
    hits: rows.slice(0, args.first).map((row) => ({
      kind: row.kind,
      id: row.id,
      rank: row.rank,
      headline: row.headline,
      cursor: row.cursor!,
    })),
    totalCount: result[0]?.total ?? 0,
    hasNextPage: rows.length > args.first,
  };
}

interface SearchRow {
  kind: SearchKind | null;
  id: number;
  rank: number;
  headline: string | null;
  cursor: string | null;
  total: number;
}

/**
 * The one statement `search` runs (exported so that a test can EXPLAIN it, and for compiled
 * reads): at most `first` + 1 hits, to tell whether there is a next page; a single row with null
 * kind when none match. Its columns: kind, id, rank, total, cursor, headline.
 * Throws a SearchInputError naming the argument when one cannot be used.
 */
export function searchSql(args: SearchArgs): Prisma.Sql {
  if (!args.query.trim()) throw new SearchInputError('query', 'query: give at least one word to search for');
  const words = searchWords(args.query);
  if (words.length === 0) {
    throw new SearchInputError('query', `query: "${args.query}" has no letters or digits to search for`);
  }
  if (!Number.isInteger(args.first) || args.first < 0 || args.first > MAX_SEARCH_PAGE) {
    throw new SearchInputError('first', `first: must be a whole number from 0 to ${MAX_SEARCH_PAGE}, got ${args.first}`);
  }
  const kinds = args.kinds?.length ? SEARCH_KINDS.filter((kind) => args.kinds!.includes(kind)) : SEARCH_KINDS;
  if (kinds.length === 0) throw new SearchInputError('kinds', 'kinds: none of the given kinds can be searched');
  const after = args.after ? decodeCursor(args.after) : null;

  const texts = tsqueryTexts(words);
  const { exact, prefix } = texts;
  // Both configurations, OR-ed: `english` stems ("attacks" → attack), `simple` keeps words that
  // `english` drops as stop words. Values are parameters; the words hold no tsquery operators.
  const exactQuery = Prisma.sql`(to_tsquery('english', ${exact}) || to_tsquery('simple', ${exact}))`;
  const prefixQuery = Prisma.sql`(to_tsquery('english', ${prefix}) || to_tsquery('simple', ${prefix}))`;
  const side = indexSideSql(
    texts,
    words,
    kinds.flatMap((kind) => KIND_TABLES[kind]),
  );
  const afterCondition = after ? Prisma.sql`WHERE (-rank, kind, id) > (-(${after.rank}::real), ${after.kind}::text, ${after.id}::int)` : Prisma.empty;

  return Prisma.sql`
    WITH ${side ? Prisma.sql`${side},` : Prisma.empty} matches AS (
      ${Prisma.join(
        kinds.map((kind) => branch(kind, (table, select) => matchingRows(table, texts, prefixQuery, select), !!args.includeRetracted)),
        ' UNION ALL ',
      )}
    ), ranked AS (
      SELECT kind, id,
             ((doc @@ ${exactQuery})::int + ts_rank(doc, ${prefixQuery}, 1 | 32))::real AS rank
      FROM matches
    ), page AS (
      SELECT * FROM ranked ${afterCondition}
      ORDER BY rank DESC, kind, id
      LIMIT ${args.first + 1}
    )
    -- one row even when the page is empty, to carry the count
    SELECT page.kind, page.id, page.rank::float8 AS rank, counted.total,
           -- [rank, kind, id] as JSON in base64url: written here, so a compiled read's cursors
           -- (src/reads/) are this statement's own
           translate(encode(convert_to('[' || page.rank::float8::text || ',"' || page.kind || '",' || page.id || ']', 'UTF8'), 'base64'), E'+/=\n', '-_') AS cursor,
           -- null for a row without text (ts_headline is strict)
           ts_headline('english', nullif(hit.body, ''), ${prefixQuery},
             'MaxFragments=1, MaxWords=24, MinWords=10, ShortWord=2, StartSel=«, StopSel=», FragmentDelimiter=" … "') AS headline
    FROM (SELECT count(*)::int AS total FROM matches) counted
    LEFT JOIN page ON true
    LEFT JOIN LATERAL (SELECT ${hitBody} AS body) hit ON true
    ORDER BY page.rank DESC, page.kind, page.id`;
}
