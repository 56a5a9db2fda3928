// The shapes a twin builds a field's value in: one object from a related row, a list of them,
// a Relay connection (Pothos's page semantics: `first` clamped to PAGE_SIZE.max, one extra row
// to tell `hasNextPage`, its cursor format), a global ID, and the one concrete type of an
// abstract field.
import { formatPrismaCursor, parsePrismaCursor } from '@pothos/plugin-prisma';
import { getNamedType, type GraphQLObjectType, isAbstractType } from 'graphql';
import { Prisma } from '../generated/prisma/client.js';
import { PAGE_SIZE } from '../schema/builder.js';
import { base64, type FieldCall, isPlainString, jsonArray, NotCompiled, plainString } from './compile.js';
import { type Selected, subSelections } from './selection.js';

/** The tables of the types `node(id:)` and global IDs compile for. */
export const TABLES: Record<string, Prisma.Sql> = {
  Incident: Prisma.raw('"Incident"'),
  Statement: Prisma.raw('"Statement"'),
  Figure: Prisma.raw('"Figure"'),
  Organisation: Prisma.raw('"Organisation"'),
  Official: Prisma.raw('"Official"'),
  Place: Prisma.raw('"Place"'),
  Source: Prisma.raw('"Source"'),
};

/** The relay plugin's global ID ("Type:id" in base64) of row `row` of `typeName` (an integer id). */
export function globalId(typeName: string, row: Prisma.Sql): Prisma.Sql {
  // What base64 takes: with the id's 11 characters at most, 57 bytes without a backslash.
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,44}$/.test(typeName)) throw new NotCompiled(`a global ID of ${typeName}`);
  return base64(Prisma.sql`${Prisma.raw(`'${typeName}:'`)} || ${row}.id`);
}

// The cursors below are of integers too: 17 and 39 bytes at most.
/** Pothos's cursor of a connection ordered by an integer id (`cursor: 'id'`). */
export const idCursor = (id: Prisma.Sql) => base64(Prisma.sql`'GPC:N:' || ${id}`);

/** Pothos's cursor of a compound key of integers (`cursor: 'a_b'`). */
export const compoundCursor = (parts: Prisma.Sql[]) =>
  base64(
    Prisma.sql`'GPC:T:[' || ${Prisma.join(
      parts.map((part) => Prisma.sql`'"N:' || ${part} || '"'`),
      ` || ',' || `,
    )} || ']'`,
  );

// The formats above, checked against Pothos's own at start-up: a change of Pothos's format
// fails here rather than handing out cursors no page accepts.
if (formatPrismaCursor({ id: 7 }, 'id') !== Buffer.from('GPC:N:7').toString('base64')) throw new Error('Pothos cursor format changed');
if (formatPrismaCursor({ a: 1, b: 2 }, ['a', 'b']) !== Buffer.from('GPC:T:["N:1","N:2"]').toString('base64')) {
  throw new Error('Pothos compound cursor format changed');
}

/** The object of `typeName` on the one row `from` (`"Table" alias WHERE …`) gives, or null. */
export function one(call: FieldCall, typeName: string, row: Prisma.Sql, from: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT ${call.compilation.object(typeName, row, call.selections)} FROM ${from})`;
}

/** A JSON list of `typeName` objects, one per row of `from`, in `order`. */
export function list(call: FieldCall, typeName: string, row: Prisma.Sql, from: Prisma.Sql, order: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT ${jsonArray(call.compilation.object(typeName, row, call.selections), order)} FROM ${from})`;
}

/** Which concrete type an abstract field's value has, chosen in SQL: the first case that holds, else `otherwise`. */
export function oneOf(call: FieldCall, cases: { when: Prisma.Sql; value: (call: FieldCall) => Prisma.Sql }[], otherwise: (call: FieldCall) => Prisma.Sql) {
  if (!isAbstractType(getNamedType(call.field.type))) throw new NotCompiled(`${call.field.name} is not abstract`);
  return Prisma.sql`CASE ${Prisma.join(
    cases.map(({ when, value }) => Prisma.sql`WHEN ${when} THEN ${value(call)}`),
    ' ',
  )} ELSE ${otherwise(call)} END`;
}

/** One key of a list's order, a column of the node's table. */
export interface OrderKey {
  column: string;
  descending?: boolean;
  /** Rows without a value last when descending (NULLS LAST); ascending keys put them last anyway. */
  nullsLast?: boolean;
}

/** `keys` over the columns of `row` as an ORDER BY list, turned round for a page read backwards. */
export function orderBy(row: Prisma.Sql, keys: readonly OrderKey[], reversed = false): Prisma.Sql {
  return Prisma.join(
    keys.map(({ column, descending = false, nullsLast = !descending }) => {
      const [down, last] = [descending !== reversed, nullsLast !== reversed];
      // Written only where PostgreSQL's default (NULLS LAST ascending, FIRST descending) differs.
      const nulls = down && last ? ' NULLS LAST' : !down && !last ? ' NULLS FIRST' : '';
      return Prisma.sql`${row}.${Prisma.raw(`"${column}"${down ? ' DESC' : ''}${nulls}`)}`;
    }),
    ', ',
  );
}

/** Which way a page is read from its cursor: `first`/`after` forward, `last`/`before` backward. */
export type Direction = 'forward' | 'backward';

/** Where a page read from a cursor starts, in the direction it is read. */
export interface Resumption {
  /**
   * The rows past the cursor, as runs of the list read one after another (each by itself, so
   * that each is one index range): every row of a run comes before the next run's, in the
   * order read (the list's forward, its reverse backward).
   */
  runs: Prisma.Sql[];
  /** Rows skipped at the start: Prisma's `cursor` includes the cursor's own row, then skips it. */
  skip: 0 | 1;
  /** What must hold for the page to be read here; otherwise execution answers (and words the error). */
  requires?: Prisma.Sql;
}

export interface Page {
  /** The type of the connection's nodes. */
  nodeType: string;
  /** The alias of the node's table in `from`. */
  row: Prisma.Sql;
  /** `"Table" alias [JOIN …] WHERE …`: the list's rows (always with a WHERE clause). */
  from: Prisma.Sql;
  /** The list's order, a total one (ending in a key), over the node columns of `row`. */
  order: readonly OrderKey[];
  /**
   * How the list goes on from a cursor (Pothos's decoded cursor value) either way, as its
   * execution pages it; without, a page from a cursor is executed as usual.
   */
  resume?: (cursor: unknown, direction: Direction) => Resumption;
  /** Each row's cursor, as the field's execution writes it. */
  cursor: Prisma.Sql;
  /** How `totalCount` and `totalCountKind` are counted, when the connection has them. */
  count?: Count;
}

/** A list's count: its rows counted once, and both count fields read off that one number. */
export interface Count {
  /** The rows counted (an integer). */
  rows: Prisma.Sql;
  totalCount: (rows: Prisma.Sql) => Prisma.Sql;
  totalCountKind: (rows: Prisma.Sql) => Prisma.Sql;
}

/**
 * A connection's page as Pothos pages it: `first` rows (default PAGE_SIZE.default, at most
 * PAGE_SIZE.max) from the start or `after` a cursor, or the `last` rows up to the end or
 * `before` a cursor (read backwards, shown in the list's order); its edges, page info and count.
 */
export function connection(call: FieldCall, page: Page): Prisma.Sql {
  const { first, after, last, before } = call.args as Record<string, unknown>;
  // Pairs execution refuses, or sizes it reads its own way: its to answer.
  if ((first != null && last != null) || (after != null && last != null) || (before != null && first != null)) {
    throw new NotCompiled('page arguments execution refuses or reads its own way');
  }
  const direction: Direction = last != null || before != null ? 'backward' : 'forward';
  const forward = direction === 'forward';
  const requested = forward ? first : last;
  const cursor = forward ? after : before;
  if (cursor != null && !page.resume) throw new NotCompiled('a page from a cursor this list cannot resume from');
  if (requested != null && (typeof requested !== 'number' || requested < 0)) throw new NotCompiled('a page size execution refuses');
  const size = Math.min((requested as number | null | undefined) ?? PAGE_SIZE.default, PAGE_SIZE.max);
  const { compilation } = call;
  const resumed: Resumption = cursor == null ? { runs: [], skip: 0 } : page.resume!(cursorValue(cursor), direction);
  if (resumed.requires) compilation.require(resumed.requires);
  const connectionType = compilation.objectType(getNamedType(call.field.type).name);
  const fields = connectionType.getFields();
  const edgeType = compilation.objectType(getNamedType(fields.edges!.type).name);
  const pageInfoType = compilation.objectType(getNamedType(fields.pageInfo!.type).name);
  const p = compilation.alias();
  const read = orderBy(page.row, page.order, !forward);
  /** `columns` of the rows read from the cursor on (or the list's end), `limit` of them after `offset`. */
  const rows = (columns: Prisma.Sql, limit: number, offset: number) => {
    const [n, skip] = [Prisma.raw(String(limit)), Prisma.raw(String(offset))];
    if (resumed.runs.length <= 1) {
      const where = resumed.runs.length === 0 ? page.from : Prisma.sql`${page.from} AND ${resumed.runs[0]!}`;
      return Prisma.sql`SELECT ${columns} FROM ${where} ORDER BY ${read} LIMIT ${n} OFFSET ${skip}`;
    }
    const runs = resumed.runs.map(
      (run) => Prisma.sql`(SELECT ${page.row}.* FROM ${page.from} AND ${run} ORDER BY ${read} LIMIT ${Prisma.raw(String(limit + offset))})`,
    );
    return Prisma.sql`SELECT ${columns} FROM (${Prisma.join(runs, ' UNION ALL ')}) ${page.row} ORDER BY ${read} LIMIT ${n} OFFSET ${skip}`;
  };
  const cursors = Prisma.sql`(array_agg(${p}."__cursor" ORDER BY ${orderBy(p, page.order)}))`;
  // A cursor read back from the page is as plain a string as the page's cursor is.
  const cursorRead = (sql: Prisma.Sql) => (isPlainString(page.cursor) ? plainString(sql) : sql);
  // Cursors are encoded only when asked for (an edge's `cursor`, `startCursor`, `endCursor`).
  let cursorsAsked = false;
  // The rows are counted once, however many count fields ask (PostgreSQL runs each subquery written).
  const counted = compilation.alias();
  let countAsked = false;
  const count = (field: 'totalCount' | 'totalCountKind') => {
    if (!page.count) throw new NotCompiled('a count this connection has no twin for');
    countAsked = true;
    return page.count[field](Prisma.sql`${counted}.n`);
  };
  // Whether the list goes on past the page, in the direction read.
  const more = () => Prisma.sql`EXISTS (${rows(Prisma.sql`1`, 1, size + resumed.skip)})`;
  const value = compilation.shaped(connectionType, call.selections, (selected) => {
    switch (selected.nodes[0]!.name.value) {
      case 'edges': {
        const edge = compilation.shaped(edgeType, subSelections(selected), (edgeField) => {
          const name = edgeField.nodes[0]!.name.value;
          if (name === 'cursor') {
            cursorsAsked = true;
            return cursorRead(Prisma.sql`${p}."__cursor"`);
          }
          if (name === 'node') return compilation.object(page.nodeType, p, subSelections(edgeField));
          throw new NotCompiled(`${edgeType.name}.${name}`);
        });
        return jsonArray(edge, orderBy(p, page.order));
      }
      case 'pageInfo':
        return pageInfo(call, pageInfoType, selected, {
          // Pothos's rules: a page read forward from a cursor has items before it, one read
          // backward from a cursor has items after it; the other side is looked at.
          hasNextPage: () => (forward ? more() : Prisma.raw(before == null ? 'false' : 'true')),
          hasPreviousPage: () => (forward ? Prisma.raw(after == null ? 'false' : 'true') : more()),
          startCursor: () => {
            cursorsAsked = true;
            return cursorRead(Prisma.sql`${cursors}[1]`);
          },
          endCursor: () => {
            cursorsAsked = true;
            return cursorRead(Prisma.sql`${cursors}[count(*)]`);
          },
        });
      case 'totalCount':
      case 'totalCountKind':
        return count(selected.nodes[0]!.name.value as 'totalCount' | 'totalCountKind');
      default:
        throw new NotCompiled(`${connectionType.name}.${selected.nodes[0]!.name.value}`);
    }
  });
  const columns = Prisma.sql`${page.row}.*${cursorsAsked ? Prisma.sql`, ${page.cursor} AS "__cursor"` : Prisma.empty}`;
  // One row even for an empty page (GROUP BY ()): the connection is there, its edges empty.
  const built = Prisma.sql`(SELECT ${value} FROM (${rows(columns, size, resumed.skip)}) ${p} GROUP BY ())`;
  return countAsked ? Prisma.sql`(SELECT ${built} FROM (SELECT ${page.count!.rows} AS n) ${counted})` : built;
}

/** A page's `pageInfo` object, each field asked for from its SQL (a thunk: built only when asked). */
export function pageInfo(
  call: FieldCall,
  type: GraphQLObjectType,
  selected: Selected,
  values: Record<'hasNextPage' | 'hasPreviousPage' | 'startCursor' | 'endCursor', () => Prisma.Sql>,
): Prisma.Sql {
  return call.compilation.shaped(type, subSelections(selected), (field) => {
    const name = field.nodes[0]!.name.value;
    if (!Object.hasOwn(values, name)) throw new NotCompiled(`PageInfo.${name}`);
    return values[name as keyof typeof values]();
  });
}

/** A cursor as Pothos reads it; one it cannot read is execution's to refuse. */
function cursorValue(cursor: unknown): unknown {
  try {
    return parsePrismaCursor(cursor);
  } catch {
    throw new NotCompiled('a cursor execution refuses');
  }
}

const idOf = (value: unknown): number => {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > 2_147_483_647) throw new NotCompiled('a cursor that is not an id');
  return value as number;
};

/**
 * Prisma's `cursor` on a list in id order (`descending` for newest first): the rows from the
 * cursor's row on, that row included (and skipped), none when it no longer exists.
 */
export const fromId =
  (row: Prisma.Sql, table: Prisma.Sql, order: 'ascending' | 'descending' = 'ascending') =>
  (cursor: unknown, direction: Direction): Resumption => {
    const id = idOf(cursor);
    const onwards = (order === 'ascending') === (direction === 'forward') ? '>=' : '<=';
    return { runs: [Prisma.sql`${row}.id ${Prisma.raw(onwards)} ${id}::int AND EXISTS (SELECT 1 FROM ${table} WHERE id = ${id}::int)`], skip: 1 };
  };

/**
 * Prisma's `cursor` on a link's compound key ([this row's id, the other id], `table`'s key
 * `columns`) in ascending order of this row's id: as `fromId`, the link standing for the row.
 */
export const fromLink =
  (row: Prisma.Sql, table: Prisma.Sql, columns: [string, string]) =>
  (cursor: unknown, direction: Direction): Resumption => {
    if (!Array.isArray(cursor) || cursor.length !== 2) throw new NotCompiled('a cursor that is not a link');
    const [id, other] = [idOf(cursor[0]), idOf(cursor[1])];
    const [a, b] = columns.map((column) => Prisma.raw(`"${column}"`));
    const onwards = Prisma.raw(direction === 'forward' ? '>=' : '<=');
    return {
      runs: [Prisma.sql`${row}.id ${onwards} ${id}::int AND EXISTS (SELECT 1 FROM ${table} WHERE ${a} = ${id}::int AND ${b} = ${other}::int)`],
      skip: 1,
    };
  };

/**
 * Prisma's `cursor` on a list ordered by a non-null column, then id, both ascending (by name):
 * the rows from the cursor row's (value, id) on, that row included (and skipped), none when it
 * no longer exists.
 */
export const fromValueThenId =
  (row: Prisma.Sql, table: Prisma.Sql, column: string) =>
  (cursor: unknown, direction: Direction): Resumption => {
    const id = idOf(cursor);
    const value = Prisma.sql`(SELECT ${Prisma.raw(`"${column}"`)} FROM ${table} WHERE id = ${id}::int)`;
    const onwards = Prisma.raw(direction === 'forward' ? '>=' : '<=');
    return { runs: [Prisma.sql`(${row}.${Prisma.raw(`"${column}"`)}, ${row}.id) ${onwards} (${value}, ${id}::int)`], skip: 1 };
  };

/** A newest-first order (a nullable date DESC NULLS LAST, then id DESC): src/schema/keyset.ts's. */
export const newestFirst = (column: string): OrderKey[] => [
  { column, descending: true, nullsLast: true },
  { column: 'id', descending: true },
];

/**
 * The SQL twin of src/schema/keyset.ts `newestFirstPage` (the one rule for paging newest-first
 * lists): the rows past the cursor row's place, that row left out, in its two runs (dated rows,
 * then undated ones) each bounded from the cursor on, so that each run is a range of the list's
 * index. A cursor whose row no longer exists is execution's to refuse, in its words.
 */
export const fromNewestFirstPlace =
  (row: Prisma.Sql, table: Prisma.Sql, column: string) =>
  (cursor: unknown, direction: Direction): Resumption => {
    const id = Prisma.sql`${idOf(cursor)}::int`;
    const at = Prisma.sql`(SELECT ${Prisma.raw(`"${column}"`)} FROM ${table} WHERE id = ${id})`;
    const date = Prisma.sql`${row}.${Prisma.raw(`"${column}"`)}`;
    // When the cursor's date is null, comparisons with it are null: the dated runs are empty.
    const runs =
      direction === 'forward'
        ? [
            Prisma.sql`${date} <= ${at} AND (${date} < ${at} OR ${row}.id < ${id})`,
            Prisma.sql`${date} IS NULL AND ${at} IS NOT NULL`,
            Prisma.sql`${date} IS NULL AND ${at} IS NULL AND ${row}.id < ${id}`,
          ]
        : [
            Prisma.sql`${date} IS NULL AND ${at} IS NULL AND ${row}.id > ${id}`,
            Prisma.sql`${date} IS NOT NULL AND ${at} IS NULL`,
            Prisma.sql`${date} >= ${at} AND (${date} > ${at} OR ${row}.id > ${id})`,
          ];
    return { runs, skip: 0, requires: Prisma.sql`EXISTS (SELECT 1 FROM ${table} WHERE id = ${id})` };
  };

/** A relation's count (exact: Pothos counts a relation in full). */
export function relationCount(from: Prisma.Sql): Pick<Page, 'count'> {
  return { count: { rows: Prisma.sql`(SELECT count(*)::int FROM ${from})`, totalCount: (rows) => rows, totalCountKind: () => Prisma.sql`'EXACT'` } };
}

/** A list's count by the bounded rule (src/schema/counts.ts): exact up to `limit`, else `limit` and AT_LEAST. */
export function boundedCount(from: Prisma.Sql, limit: number): Pick<Page, 'count'> {
  const bound = Prisma.raw(String(limit));
  return {
    count: {
      // One row past the bound tells that there are more.
      rows: Prisma.sql`(SELECT count(*)::int FROM (SELECT 1 FROM ${from} LIMIT ${Prisma.raw(String(limit + 1))}) counted)`,
      totalCount: (rows) => Prisma.sql`least(${rows}, ${bound})`,
      totalCountKind: (rows) => Prisma.sql`CASE WHEN ${rows} > ${bound} THEN 'AT_LEAST' ELSE 'EXACT' END`,
    },
  };
}

/** A list's order, and how its pages go on from a cursor as its execution pages them. */
export interface ListOrder {
  keys: OrderKey[];
  resume: (row: Prisma.Sql, table: Prisma.Sql) => NonNullable<Page['resume']>;
}

/** In the order the rows were recorded (Pothos's `cursor: 'id'` default). */
export const BY_ID: ListOrder = { keys: [{ column: 'id' }], resume: (row, table) => fromId(row, table) };
/** The most recently recorded first. */
export const LATEST_RECORDED_FIRST: ListOrder = { keys: [{ column: 'id', descending: true }], resume: (row, table) => fromId(row, table, 'descending') };
/** By name, then in the order recorded. */
export const BY_NAME: ListOrder = { keys: [{ column: 'name' }, { column: 'id' }], resume: (row, table) => fromValueThenId(row, table, 'name') };
/** Statements newest first, by when they were made. */
export const NEWEST_STATEMENTS_FIRST: ListOrder = { keys: newestFirst('madeAt'), resume: (row, table) => fromNewestFirstPlace(row, table, 'madeAt') };
/** Incidents newest first, by when they started. */
export const NEWEST_INCIDENTS_FIRST: ListOrder = { keys: newestFirst('startedAt'), resume: (row, table) => fromNewestFirstPlace(row, table, 'startedAt') };
