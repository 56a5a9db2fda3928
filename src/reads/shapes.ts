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

export interface Page {
  /** The type of the connection's nodes. */
  nodeType: string;
  /** The alias of the node's table in `from`. */
  row: Prisma.Sql;
  /** `"Table" alias [JOIN …] WHERE …`: the list's rows (always with a WHERE clause). */
  from: Prisma.Sql;
  /**
   * For lists that page forward by a key: the rows from the cursor's row on (Pothos's decoded
   * cursor value), none when that row no longer exists. The page skips the first of them, as
   * Prisma's `cursor` with `skip: 1` does.
   */
  fromCursor?: (cursor: unknown) => Prisma.Sql;
  /** The list's order, a total one (ending in a key), over the node columns of `row`. */
  order: (row: Prisma.Sql) => Prisma.Sql;
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
 * A connection's page (`first`, default PAGE_SIZE.default, at most PAGE_SIZE.max; `after` where
 * the page says how): its edges, page info and count. Backward pages are executed as usual.
 */
export function connection(call: FieldCall, page: Page): Prisma.Sql {
  const { first, after, last, before } = call.args as Record<string, unknown>;
  if (last != null || before != null) throw new NotCompiled('a backward page');
  if (after != null && !page.fromCursor) throw new NotCompiled('a page after a cursor this list cannot resume from');
  if (first != null && (typeof first !== 'number' || first < 0)) throw new NotCompiled('a page size execution refuses');
  const size = Math.min((first as number | null | undefined) ?? PAGE_SIZE.default, PAGE_SIZE.max);
  const { compilation } = call;
  const connectionType = compilation.objectType(getNamedType(call.field.type).name);
  const fields = connectionType.getFields();
  const edgeType = compilation.objectType(getNamedType(fields.edges!.type).name);
  const pageInfoType = compilation.objectType(getNamedType(fields.pageInfo!.type).name);
  const p = compilation.alias();
  const n = Prisma.raw(String(size));
  const from = after == null ? page.from : Prisma.sql`${page.from} AND ${page.fromCursor!(cursorValue(after))}`;
  const skip = Prisma.raw(after == null ? '0' : '1');
  const past = Prisma.raw(String(size + (after == null ? 0 : 1)));
  const cursors = Prisma.sql`(array_agg(${p}."__cursor" ORDER BY ${page.order(p)}))`;
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
        return jsonArray(edge, page.order(p));
      }
      case 'pageInfo':
        return pageInfo(call, pageInfoType, selected, {
          hasNextPage: () => Prisma.sql`EXISTS (SELECT 1 FROM ${from} ORDER BY ${page.order(page.row)} OFFSET ${past} LIMIT 1)`,
          // Pothos's rule: a page after a cursor has items before it.
          hasPreviousPage: () => Prisma.raw(after == null ? 'false' : 'true'),
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
  // One row even for an empty page (GROUP BY ()): the connection is there, its edges empty.
  const built = Prisma.sql`(SELECT ${value} FROM (
    SELECT ${page.row}.*${cursorsAsked ? Prisma.sql`, ${page.cursor} AS "__cursor"` : Prisma.empty} FROM ${from} ORDER BY ${page.order(page.row)} LIMIT ${n} OFFSET ${skip}
  ) ${p} GROUP BY ())`;
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

/** From an id cursor (`cursor: 'id'`) of `table` on, in ascending id order (descending when asked). */
export const fromId =
  (row: Prisma.Sql, table: Prisma.Sql, order: 'ascending' | 'descending' = 'ascending') =>
  (cursor: unknown) => {
    const id = idOf(cursor);
    return Prisma.sql`${row}.id ${Prisma.raw(order === 'ascending' ? '>=' : '<=')} ${id}::int AND EXISTS (SELECT 1 FROM ${table} WHERE id = ${id}::int)`;
  };

/**
 * From a link's compound cursor ([this row's id, the other id], `table`'s key `columns`) on, in
 * ascending order of this row's id.
 */
export const fromLink = (row: Prisma.Sql, table: Prisma.Sql, columns: [string, string]) => (cursor: unknown) => {
  if (!Array.isArray(cursor) || cursor.length !== 2) throw new NotCompiled('a cursor that is not a link');
  const [id, other] = [idOf(cursor[0]), idOf(cursor[1])];
  const [a, b] = columns.map((column) => Prisma.raw(`"${column}"`));
  return Prisma.sql`${row}.id >= ${id}::int AND EXISTS (SELECT 1 FROM ${table} WHERE ${a} = ${id}::int AND ${b} = ${other}::int)`;
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
