// Shared schema pieces: the DateTime scalar, enums with a description on every value, and the
// date-range input used by several filters.
import { GraphQLError, Kind } from 'graphql';
import { DatePrecision } from '../generated/prisma/enums.js';
import { MAX_ID } from '../writes/rules.js';
import type { Context } from '../context.js';
import { builder } from './builder.js';

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null;
  // PostgreSQL has no year 0, and four-digit years are what any source reports.
  if (!date || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1000 || date.getUTCFullYear() > 9999) {
    throw new GraphQLError(
      `DateTime must be an ISO 8601 date or date-time such as "2026-01-31" or "2026-01-31T14:27:00Z", got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

builder.scalarType('DateTime', {
  description:
    'A moment in time as an ISO 8601 string in UTC ("2026-01-31T00:00:00.000Z"). Inputs may be a date ("2026-01-31") or a date-time. Where a value is only known to the day or month, a sibling `…Precision` field says so.',
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be given as a string');
    return parseDateTime(ast.value);
  },
});

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

export const DateRangeInput = builder.inputType('DateRange', {
  description: 'An inclusive range of dates. Either end may be left out.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: false, description: 'Earliest date, inclusive.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Latest date, inclusive.' }),
  }),
});

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
