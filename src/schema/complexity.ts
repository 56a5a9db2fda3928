// How much a query may ask for, counted by @pothos/plugin-complexity before anything runs:
// every field costs 1, and what is selected under a list is multiplied by how many items it
// can return. A connection multiplies by its `first`/`last` (default page size when neither is
// given, never above the page-size maximum), so `first: 100` inside `first: 100` counts 10,000
// times; a plain list multiplies by 10; edges of a connection are already counted by it. Every
// item of a list argument counts 1 more (each is a value to match or an ID to look up), and
// `nodes(ids:)` multiplies by the number of IDs (builder.ts).
import { getNamedType, isListType, isNonNullType, type GraphQLField, type GraphQLOutputType } from 'graphql';
import type { FieldComplexityValue } from '@pothos/plugin-complexity';

/** Page-size defaults, repeated from builder.ts (which imports this file) to avoid a cycle. */
const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;
const LIST_MULTIPLIER = 10;

const isList = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);

/** How many items the list arguments hold, in input objects too (`filter: { metrics: [...] }`). */
export function listArgumentItems(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + 1 + listArgumentItems(item), 0);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.values(value).reduce((sum: number, item) => sum + listArgumentItems(item), 0);
  }
  return 0;
}

export function fieldComplexity<Ctx>(args: Record<string, unknown>, _ctx: Ctx, field: GraphQLField<unknown, Ctx>): FieldComplexityValue {
  const named = getNamedType(field.type).name;
  const cost = 1 + listArgumentItems(args);
  if (named.endsWith('Connection')) {
    const asked = [args.first, args.last].find((n): n is number => typeof n === 'number');
    const pageSize = Math.min(Math.max(asked ?? DEFAULT_PAGE, 0), MAX_PAGE);
    return { field: cost, multiplier: pageSize };
  }
  // `edges` holds the page the connection already counted.
  if (named.endsWith('Edge')) return { field: 1, multiplier: 1 };
  if (isList(field.type)) return { field: cost, multiplier: LIST_MULTIPLIER };
  return cost;
}
