// GraphQL input types built from the write rules (src/rules/fields.ts): each input field is
// declared once, in its entity's write module, and appears here with the same name, the same
// description (limits included) and the same optionality. Values arrive as the client sent them
// (IDs and dates as text) and are checked by the rules, so every refusal names the field.
import type { z } from 'zod';
import { listElementOf, shapeOf, unwrapRule, type InputKind } from '../rules/fields.js';
import { parseInput } from '../rules/parse.js';
import { builder } from './builder.js';

const metaOf = (schema: z.ZodType) => schema.meta() as { description?: string; field?: string; input?: InputKind; name?: string } | undefined;

// biome-ignore lint/suspicious/noExplicitAny: a Pothos input ref of any shape, built from a zod rule at run time
type InputRef = any;
const built = new Map<string, InputRef>();

/** The GraphQL type of one field's rule: a scalar, an enum (by its Prisma enum object), an input object, or a list of one. */
function typeOf(schema: z.ZodType, meta: { input?: InputKind } | undefined): { type: InputRef; list: boolean } {
  const listed = listElementOf(schema);
  const list = listed !== null;
  const element = listed ?? schema;
  const kind = meta?.input ?? metaOf(element)?.input;
  if (!kind) throw new Error('An input field needs its kind in metadata (use the constructors of src/rules/fields.ts)');
  const scalar = { text: 'String', int: 'Int', float: 'Float', boolean: 'Boolean', id: 'ID', date: 'DateTime' } as const;
  if (kind.kind === 'object') return { type: inputTypeOf(element), list };
  if (kind.kind === 'enum') return { type: kind.values, list };
  return { type: scalar[kind.kind], list };
}

/** The GraphQL input object type of an `inputObject` rule (built once per name). */
export function inputTypeOf(schema: z.ZodType): InputRef {
  const meta = metaOf(schema);
  const name = meta?.name;
  if (!name) throw new Error('An input object needs a name (use inputObject in src/rules/fields.ts)');
  const existing = built.get(name);
  if (existing) return existing;
  const shape = shapeOf(schema);
  if (!shape) throw new Error(`${name} is not an object rule`);
  const ref = builder.inputRef(name);
  built.set(name, ref);
  ref.implement({
    description: meta.description,
    fields: (t: InputRef) =>
      Object.fromEntries(
        Object.entries(shape).map(([field, rule]) => {
          const { inner, required } = unwrapRule(rule);
          const fieldMeta = metaOf(inner);
          const { type, list } = typeOf(inner, fieldMeta);
          const elementMeta = list ? metaOf(listElementOf(inner)!) : undefined;
          const description = fieldMeta?.field ?? fieldMeta?.description ?? elementMeta?.field ?? elementMeta?.description;
          return [
            field,
            t.field({
              type: list ? [type] : type,
              required: list ? (required ? { list: true, items: true } : { list: false, items: true }) : required,
              description,
            }),
          ];
        }),
      ),
  });
  return ref;
}

/**
 * A query argument read by its rule: the parsed value, or an InvalidInputError naming the
 * argument path ("filter.between.to") that the gateway turns into a BAD_USER_INPUT error.
 */
export function readArgument<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> | null {
  if (value === undefined || value === null) return null;
  return parseInput(schema, value, path);
}
