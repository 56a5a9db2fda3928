// Pages of a list shown newest first (a nullable date DESC NULLS LAST, then id DESC), resumed
// from a cursor by a keyset condition instead of Prisma's `cursor`. With a cursor and this
// two-column order Prisma 7.10 sends no LIMIT: it reads every row after the cursor and cuts the
// page in Node (prisma/orm#27094, #15710). A keyset condition keeps the LIMIT, and its date
// bound is an index condition on the list's index, so every page is a short index range however
// deep it is (docs/query-plans.md).
import { GraphQLError } from 'graphql';
import type { Context } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';

/** The paging part of what `t.prismaConnection` hands its resolver. */
interface ConnectionQuery {
  /** Pothos's `cursor: 'id'` connections carry the cursor row's id. */
  cursor?: { id?: number };
  /** Negative when paging backwards (`last`, `before`). */
  take: number;
  skip: number;
}

type DateCondition = Date | null | { lt: Date } | { lte: Date } | { gt: Date } | { gte: Date } | { not: null };
type OnDate<DateField extends string> = { [F in DateField]: DateCondition };
type OnId = { lt: number } | { gt: number };
type Keyset<DateField extends string> = OnDate<DateField> & { id?: OnId; OR?: (OnDate<DateField> | { id: OnId })[] };

type NewestFirstOrder<DateField extends string> = [{ [F in DateField]: { sort: 'desc'; nulls: 'last' } }, { id: 'desc' }];

interface NewestFirstList<DateField extends string, Where, Row> {
  /** The date the list is ordered by; undated rows come last. */
  dateField: DateField;
  /** What the list's items are called, for the error about a cursor whose item is gone. */
  itemName: string;
  /** The list's filter. */
  where: Where;
  /** The cursor row's date (null when undated), or undefined when the row no longer exists. */
  dateOf(id: number): Promise<Date | null | undefined>;
  /** Reads a page: the caller's `findMany` with these arguments over its selection. */
  find(page: {
    where: Where | { AND: (Where | Keyset<DateField>)[] };
    orderBy: NewestFirstOrder<DateField>;
    take: number;
    skip: number;
    cursor: undefined;
  }): Promise<Row[]>;
}

/**
 * The rows Prisma's `cursor` with `skip: 1` would give (the `take` rows after the cursor, or
 * before it when `take` is negative), read with a keyset condition and a LIMIT. The cursor row
 * need not match the filter any more (a statement retracted since): the page is what follows its
 * place in the order, where Prisma answered an empty page.
 */
export async function newestFirstPage<DateField extends string, Where, Row>(
  query: ConnectionQuery,
  list: NewestFirstList<DateField, Where, Row>,
): Promise<Row[]> {
  const byDate = { [list.dateField]: { sort: 'desc', nulls: 'last' } } as NewestFirstOrder<DateField>[0];
  const orderBy: NewestFirstOrder<DateField> = [byDate, { id: 'desc' }];
  const id = query.cursor?.id;
  if (id === undefined) return list.find({ where: list.where, orderBy, take: query.take, skip: query.skip, cursor: undefined });
  const read = (keyset: Keyset<DateField>, take: number) => list.find({ where: { AND: [list.where, keyset] }, orderBy, take, skip: 0, cursor: undefined });

  const forward = query.take > 0;
  const date = await list.dateOf(id);
  // Prisma answered an empty page here, which reads as the end of the list.
  if (date === undefined) {
    throw new GraphQLError(
      `${forward ? 'after' : 'before'}: the cursor points at ${list.itemName} that no longer exists (merged away or deleted): start again from the first page`,
      { extensions: { code: 'BAD_USER_INPUT', argument: forward ? 'after' : 'before' } },
    );
  }
  const on = (condition: DateCondition) => ({ [list.dateField]: condition }) as OnDate<DateField>;
  // The list is two runs: dated rows (date, then id, descending), then undated ones (id
  // descending). Each condition below bounds the first column, so the index range starts at
  // the cursor. One OR over both runs (earlier date, same date and smaller id, or undated)
  // would only filter a scan from the top of the list: 27 ms at 88 % of 158,730 incidents.
  const sameRun: Keyset<DateField> =
    date === null
      ? { ...on(null), id: forward ? { lt: id } : { gt: id } }
      : forward
        ? { ...on({ lte: date }), OR: [on({ lt: date }), { id: { lt: id } }] }
        : { ...on({ gte: date }), OR: [on({ gt: date }), { id: { gt: id } }] };
  const rows = await read(sameRun, query.take);
  // A page that runs out of its run goes on into the other one: forward from dated rows into
  // the undated ones, backward from undated rows into the dated ones.
  const missing = Math.abs(query.take) - rows.length;
  if (missing === 0 || forward !== (date !== null)) return rows;
  const rest = await read(on(forward ? null : { not: null }), forward ? missing : -missing);
  return forward ? [...rows, ...rest] : [...rest, ...rows];
}

/** What a `t.prismaConnection` resolver of statements or incidents is handed: its selection and its page. */
type ListQuery = ConnectionQuery & { select?: object; include?: object };

/** A page of the statements meeting `where`, newest first by when they were made: every statement list that pages by date. */
export function statementsPage(query: ListQuery, ctx: Context, where: Prisma.StatementWhereInput) {
  return newestFirstPage(query, {
    dateField: 'madeAt',
    itemName: 'a statement',
    where,
    dateOf: async (id) => (await ctx.prisma.statement.findUnique({ where: { id }, select: { madeAt: true } }))?.madeAt,
    find: (page) => ctx.prisma.statement.findMany({ ...(query as object), ...page }),
  });
}

/** A page of the incidents meeting `where`, newest first by when they started: every incident list. */
export function incidentsPage(query: ListQuery, ctx: Context, where: Prisma.IncidentWhereInput) {
  return newestFirstPage(query, {
    dateField: 'startedAt',
    itemName: 'an incident',
    where,
    dateOf: async (id) => (await ctx.prisma.incident.findUnique({ where: { id }, select: { startedAt: true } }))?.startedAt,
    find: (page) => ctx.prisma.incident.findMany({ ...(query as object), ...page }),
  });
}
