// Shared schema pieces: the DateTime scalar, enums with a description on every value, the
// date-range input used by several filters, and the pageInfo of lists paged forward only.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { DatePrecision } from '../generated/prisma/enums.js';
import { MAX_ID } from '../rules/ids.js';
import { dateRangeInput } from '../rules/fields.js';
import { inputTypeOf, readArgument } from './inputs.js';
import { asOfArg } from '../claims/filters.js';
import { asOfMoment, periodOf, type Period } from '../rules/dates.js';
import type { Context } from '../context.js';
import { builder } from './builder.js';

/** What a DateTime must be given as, when it is not text at all. */
const NOT_TEXT = 'DateTime must be given as text, such as "2026-01-31" or "2026-01-31T14:27:00Z"';

// Answers are graphql-scalars' DateTime: a valid Date as an RFC 3339 date-time in UTC. What a
// client writes stays text for the project's one date rule (src/rules/dates.ts), applied where
// the value is used so that a refusal names the field and keeps its code: it also accepts a
// year, a month, an ISO week or a day, which the library's date-time parser refuses.
builder.addScalarType(
  'DateTime',
  new GraphQLScalarType<string, unknown>({
    name: 'DateTime',
    description:
      'A moment or a period of time in ISO 8601, read as precisely as it is written: a year ("2026"), a month ("2026-01"), an ISO week ("2026-W05"), a day ("2026-01-31", in UTC) or a date-time with a time zone ("2026-01-31T14:27:00Z", "2026-01-31T19:57:00+05:30"). A date must exist in the calendar; a date-time without a zone is refused. Answers are RFC 3339 date-times in UTC ("2026-01-31T00:00:00.000Z"); where a value is known only to the day or month, a sibling `…Precision` field says so.',
    // RFC 3339 defines the answers (section 5.6) and, in its ISO 8601 grammar (appendix A), the shorter forms accepted.
    specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339',
    serialize: (value) => GraphQLDateTimeISO.serialize(value),
    parseValue: (value) => {
      if (typeof value !== 'string') throw new GraphQLError(NOT_TEXT, { extensions: { code: 'BAD_USER_INPUT' } });
      return value;
    },
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(NOT_TEXT, { extensions: { code: 'BAD_USER_INPUT' } });
      return ast.value;
    },
  }),
);

/** An enum whose every value carries a description; the Prisma enum object lists the values. */
export function describedEnum<const Values extends Record<string, string>>(
  name: string,
  description: string,
  prismaEnum: Values,
  descriptions: { [K in keyof Values]: string },
) {
  const values = {} as { [K in keyof Values]: { description: string } };
  for (const key of Object.keys(descriptions) as (keyof Values)[]) {
    values[key] = { description: descriptions[key] };
  }
  // The per-value options type is too generic for TypeScript here; keys are checked above.
  return builder.enumType(prismaEnum, { name, description, values } as never);
}

export const DatePrecisionEnum = describedEnum(
  'DatePrecision',
  'How precisely a date is known. A DAY-precision date carries midnight UTC of that day.',
  DatePrecision,
  {
    EXACT: 'Known to the minute or better.',
    DAY: 'Known to the day ("on Saturday").',
    WEEK: 'Known to the week ("last week").',
    MONTH: 'Known to the month ("in January").',
    YEAR: 'Known to the year.',
  },
);

/** The DateRange input, built from its rule (src/rules/fields.ts). */
export const DateRangeInput = inputTypeOf(dateRangeInput);

/** The database id inside a decoded global ID, or a clear error when it is not one of ours. */
export function databaseId(globalId: { id: unknown; typename: string }): number {
  const id = Number(globalId.id);
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ID) {
    throw new GraphQLError(`"${String(globalId.id)}" is not a valid ${globalId.typename} ID: IDs come from the "id" field of a ${globalId.typename}`);
  }
  return id;
}

/**
 * A connection's filter is needed twice (for the page and for `totalCount`); compute it once
 * per field call, keyed by the arguments object GraphQL passes to both.
 */
export function oncePerArgs<Args extends object, Result>(compute: (args: Args, ctx: Context) => Promise<Result>) {
  const results = new WeakMap<Args, Promise<Result>>();
  return (args: Args, ctx: Context): Promise<Result> => {
    let result = results.get(args);
    if (!result) {
      result = compute(args, ctx);
      results.set(args, result);
    }
    return result;
  };
}

/** An `asOf` argument as the moment it names (a date: the end of that day), or null. */
export function asOfOf(value: string | null | undefined, path = 'asOf'): Date | null {
  const stated = readArgument(asOfArg, value, path);
  return stated ? asOfMoment(stated) : null;
}

/** A date-range argument as moments (from the start of `from` to the end of `to`), or null. */
export const periodArg = (value: unknown, path: string): Period | null => periodOf(readArgument(dateRangeInput, value, path));

/**
 * The `pageInfo` of a page of a list read forward only (`first`, `after`: discrepancies, search,
 * track-record entries): no page before it is told, and its cursors are its first and last items'.
 */
export function forwardPageInfo<Item>(items: readonly Item[], hasNextPage: boolean, cursorOf: (item: Item) => string) {
  return {
    hasNextPage,
    hasPreviousPage: false,
    startCursor: items.length > 0 ? cursorOf(items[0]!) : null,
    endCursor: items.length > 0 ? cursorOf(items.at(-1)!) : null,
  };
}
