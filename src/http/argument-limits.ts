// What every argument must be, whatever the field: no list holds more than MAX_LIST_ITEMS items,
// at any depth (`ids`, `filter.metrics`, `input.figures`), unless the argument or input field
// declares its own limit (`extensions: { maxItems }`, as `nodes(ids:)` does in
// src/schema/builder.ts); and no text holds what PostgreSQL cannot store (src/rules/text.ts: a
// NUL in a search or an external ID failed inside the database as an internal error). Checked
// before anything else reads the items (the cost count and the resolvers decode every global ID;
// 45,000 enum values in a filter overran the database's parameter limit after 4 s), so an
// oversized list is refused in the time it takes to count it (src/http/query-limits.ts).
import {
  type GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { storable, UNSTORABLE_TEXT } from '../rules/text.js';
import { refusal } from './error-codes.js';

/** The most items any list argument may hold when it declares no limit of its own. */
export const MAX_LIST_ITEMS = 1000;

type Breach = { path: string; count: number; max: number } | { path: string; unstorable: true };

function limitOf(extensions: object | null | undefined): number {
  const declared = (extensions as { maxItems?: unknown } | null | undefined)?.maxItems;
  return typeof declared === 'number' ? declared : MAX_LIST_ITEMS;
}

/** The first list in `value` (of `type`) longer than allowed, or text that cannot be stored. */
function overrun(value: unknown, type: GraphQLInputType, max: number, path: string): Breach | null {
  if (typeof value === 'string') return storable(value) ? null : { path, unstorable: true };
  if (isNonNullType(type)) return overrun(value, type.ofType, max, path);
  if (isListType(type)) {
    if (!Array.isArray(value)) return null;
    if (value.length > max) return { path, count: value.length, max };
    for (const [i, item] of value.entries()) {
      const found = overrun(item, type.ofType, MAX_LIST_ITEMS, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (isInputObjectType(type) && value && typeof value === 'object') {
    for (const field of Object.values(type.getFields())) {
      const found = overrun((value as Record<string, unknown>)[field.name], field.type, limitOf(field.extensions), `${path}.${field.name}`);
      if (found) return found;
    }
  }
  return null;
}

/** The first argument in `document` holding a list over its limit or unstorable text, as a refusal naming it. */
export function argumentOverLimit(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): GraphQLError | null {
  const typeInfo = new TypeInfo(schema);
  let tooLong: GraphQLError | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        if (tooLong || !argument) return;
        const found = overrun(valueFromASTUntyped(node.value, variables), argument.type, limitOf(argument.extensions), node.name.value);
        if (!found) return;
        tooLong =
          'unstorable' in found
            ? refusal('BAD_USER_INPUT', `Argument ${found.path}: ${UNSTORABLE_TEXT}`, {
                nodes: [node],
                extensions: { argument: found.path, issues: [{ field: found.path, rule: UNSTORABLE_TEXT, code: 'INVALID_TEXT' }] },
              })
            : refusal('BAD_USER_INPUT', `Argument ${found.path}: at most ${found.max} items, got ${found.count}: split the request into several`, {
                nodes: [node],
                extensions: { argument: found.path, limit: found.max },
              });
      },
    }),
  );
  return tooLong;
}
