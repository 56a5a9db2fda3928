// How long a list is: `totalCount` is counted exactly up to COUNT_EXACT_LIMIT rows and, beyond,
// reported as that bound with `totalCountKind: AT_LEAST`, so a page deep into a million figures
// costs no more than one near the start. The one rule for every connection that counts its rows.
import type { Context } from '../context.js';
import { builder } from './builder.js';

export const TotalCountKind = builder.enumType('TotalCountKind', {
  description: "Whether a list's `totalCount` is the exact number of items or only a lower bound.",
  values: {
    EXACT: { description: '`totalCount` is exactly how many items the list holds.' },
    AT_LEAST: {
      description:
        'The list holds more items than the gateway counts one by one (COUNT_EXACT_LIMIT): `totalCount` is that limit, and the true number is larger. Narrow the filter to get an exact count.',
    },
  },
});

export interface BoundedCount {
  count: number;
  kind: 'EXACT' | 'AT_LEAST';
}

/** Counts with `count(take)`, which stops after `take` rows: up to the bound, and one more to tell. */
async function boundedCount(limit: number, count: (take: number) => Promise<number>): Promise<BoundedCount> {
  const counted = await count(limit + 1);
  return counted > limit ? { count: limit, kind: 'AT_LEAST' } : { count: counted, kind: 'EXACT' };
}

/** A count by the rule above, made the first time it is asked for (a list that is not counted costs no count). */
export function lazyBoundedCount(limit: number, count: (take: number) => Promise<number>): () => Promise<BoundedCount> {
  let counted: Promise<BoundedCount> | undefined;
  return () => (counted ??= boundedCount(limit, count));
}

/** The bounded counts of this process's connections, by the arguments object of the field call. */
const counts = new WeakMap<object, Promise<BoundedCount>>();

/**
 * A connection's `totalCount` option, counted by the rule above: `count(parent, args, ctx, take)`
 * counts the list's rows, at most `take` (Prisma's `count({ where, take })`).
 */
export function boundedTotalCount<Parent, Args extends object>(count: (parent: Parent, args: Args, ctx: Context, take: number) => Promise<number>) {
  return async (parent: Parent, args: Args, ctx: Context): Promise<number> => {
    let counted = counts.get(args);
    if (!counted) {
      counted = boundedCount(ctx.countExactLimit, (take) => count(parent, args, ctx, take));
      counts.set(args, counted);
    }
    return (await counted).count;
  };
}

/** What plugin-prisma hands a connection's fields: the field call's arguments and its count. */
interface CountedConnection {
  args: object;
  /** A relation's count, made by Prisma in the parent's own query; or the connection's `totalCount` option. */
  totalCount?: number | (() => Promise<number>);
}

// Every connection has a `totalCount`; each says how far to trust it.
builder.globalConnectionField('totalCountKind', (t) =>
  t.field({
    type: TotalCountKind,
    description: 'Whether `totalCount` is exact (EXACT) or only a lower bound (AT_LEAST: the list is longer than the gateway counts one by one).',
    // Answered with the count, like `totalCount`: a page asking for nothing else loads no rows.
    extensions: { pothosPrismaTotalCount: true },
    resolve: async (connection) => {
      const { args, totalCount } = connection as unknown as CountedConnection;
      // A relation's count, in its parent's query, is exact; so is one not counted by the rule.
      if (typeof totalCount !== 'function') return 'EXACT';
      await totalCount();
      return (await counts.get(args))?.kind ?? 'EXACT';
    },
  }),
);
