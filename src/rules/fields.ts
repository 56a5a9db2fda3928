// The vocabulary input fields are made of. Each constructor is a zod rule with its description
// (and, for the GraphQL schema, what kind of input it is) attached as metadata, so a field is
// declared once — in the write module of its entity — and the same declaration is the rule every
// write path checks (GraphQL, NDJSON, ACLED, the seed), the GraphQL input type (src/schema/
// inputs.ts builds it from the metadata), and the documentation of its limit.
import { z } from 'zod';
import type { DatePrecision } from '../generated/prisma/enums.js';
import { DateRuleError, readDate, type StatedDate, DATE_FORMS } from './dates.js';
import { externalIdRule, MAX_EXTERNAL_ID_LENGTH, reference, type EntityType } from './ids.js';
import { words } from './text.js';
import { MAX_URL_LENGTH, webAddress } from './urls.js';

/** What the GraphQL schema needs to know about a field besides its rule. */
export type InputKind =
  | { kind: 'text' }
  | { kind: 'int' }
  | { kind: 'float' }
  | { kind: 'boolean' }
  | { kind: 'id' }
  | { kind: 'date' }
  | { kind: 'enum'; values: Record<string, string> }
  | { kind: 'object'; name: string };

export interface FieldMeta {
  description: string;
  /** A field's own description, where its type (an input object) has one of its own. */
  field?: string;
  input?: InputKind;
  /** On objects: the GraphQL input type's name. */
  name?: string;
}

declare module 'zod' {
  interface GlobalMeta {
    input?: InputKind;
    name?: string;
    field?: string;
  }
}

const withMeta = <S extends z.ZodType>(schema: S, meta: FieldMeta): S => schema.meta(meta as z.GlobalMeta) as S;

/** Text of 1 to `max` characters, trimmed and storable. */
export const text = (max: number, description: string) =>
  withMeta(words(max), { description: `${description} At most ${max.toLocaleString('en')} characters.`, input: { kind: 'text' } });

/** A list of short texts (aliases). */
export const textList = (max: number, maxItems: number, description: string) =>
  withMeta(z.array(words(max)).max(maxItems, `must hold at most ${maxItems} items`), {
    description: `${description} At most ${maxItems} items of at most ${max} characters each.`,
    input: { kind: 'text' },
  });

/** A whole number in [min, max]. */
export const int = (min: number, max: number, description: string, belowMin = `must be at least ${min.toLocaleString('en')}`) =>
  withMeta(
    z
      .number()
      .int('must be a whole number')
      .min(min, belowMin)
      .max(max, `must be at most ${max.toLocaleString('en')}`),
    { description, input: { kind: 'int' } },
  );

export const float = (min: number, max: number, description: string) =>
  withMeta(z.number().min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`), {
    description,
    input: { kind: 'float' },
  });

export const bool = (description: string) => withMeta(z.boolean(), { description, input: { kind: 'boolean' } });

/** One value of an enum (the Prisma enum object lists them). */
export const enumOf = <E extends Record<string, string>>(values: E, description: string) =>
  withMeta(z.enum(Object.values(values) as [E[keyof E], ...E[keyof E][]]), { description, input: { kind: 'enum', values } });

/** A set of enum values (a value given twice counts once). */
export const enumList = <E extends Record<string, string>>(values: E, description: string) =>
  withMeta(
    z.array(z.enum(Object.values(values) as [E[keyof E], ...E[keyof E][]])).transform((list) => [...new Set(list)]),
    {
      description,
      input: { kind: 'enum', values },
    },
  );

/** A written date: the period it names, as precise as written (src/rules/dates.ts). */
export const dateRule = z.string().transform((written, ctx): StatedDate => {
  try {
    return readDate(written);
  } catch (error) {
    if (!(error instanceof DateRuleError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.rule, params: { code: error.code } });
    return z.NEVER;
  }
});

export const date = (description: string) =>
  withMeta(dateRule, { description: `${description} Written as ${DATE_FORMS}; the precision follows what is written.`, input: { kind: 'date' } });

export const url = (description: string) =>
  withMeta(webAddress, {
    description: `${description} An absolute http:// or https:// address of at most ${MAX_URL_LENGTH} characters.`,
    input: { kind: 'text' },
  });

/** The ID of a record of one of `types` (a global ID, or `{ externalId }` in NDJSON). */
export const ref = (types: readonly EntityType[], description: string) => withMeta(reference(types), { description, input: { kind: 'id' } });

export const refList = (types: readonly EntityType[], maxItems: number, description: string) =>
  withMeta(z.array(reference(types)).max(maxItems, `must hold at most ${maxItems} items`), {
    description: `${description} At most ${maxItems}.`,
    input: { kind: 'id' },
  });

/** The caller's own ID for a record it creates. */
export const externalId = (description: string) =>
  withMeta(externalIdRule, { description: `${description} At most ${MAX_EXTERNAL_ID_LENGTH} characters.`, input: { kind: 'text' } });

/** A concurrency token: the `version` the writer read. */
export const version = (description: string) => int(1, 2_147_483_647, description);

type Shape = Record<string, z.ZodType>;

/**
 * An input object: its fields, strict (an unknown field is refused), a GraphQL name and
 * description, and rules across fields on the parsed value (each issue names its field).
 */
export function inputObject<S extends Shape>(
  name: string,
  description: string,
  shape: S,
  check?: (value: z.output<z.ZodObject<S>>, refuse: (field: string, rule: string, code?: string) => void) => void,
) {
  const object = z.strictObject(shape);
  const checked = check
    ? object.superRefine((value, ctx) =>
        check(value as z.output<z.ZodObject<S>>, (field, rule, code = 'INCONSISTENT') =>
          ctx.addIssue({
            code: 'custom',
            path: field ? field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)) : [],
            message: rule,
            params: { code },
          }),
        ),
      )
    : object;
  return withMeta(checked, { description, name, input: { kind: 'object', name } });
}

/**
 * An input object whose value, once its rules hold, is completed by `complete` (a quantity read
 * from its words): the same GraphQL input type, a fuller value for the writer.
 */
export const completed = <S extends z.ZodType, O>(object: S, complete: (value: z.output<S>) => O) =>
  withMeta(object.transform(complete), object.meta() as FieldMeta);

/** A field whose type (an input object) keeps its own description: this says what the field is for. */
export const described = <S extends z.ZodType>(schema: S, field: string): S => schema.meta({ ...(schema.meta() ?? {}), field }) as S;

/** The fields of an update: each may be left out (unchanged); those that may be empty may be sent as null (cleared). */
export function updatable<S extends Shape>(shape: S): { [K in keyof S]: z.ZodOptional<S[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.optional()])) as never;
}

/** The precision a stated date is known to, when the writer chose one. */
export type Precision = DatePrecision;

/**
 * A range of dates, both ends included and each as precise as written: `to: "2026-01-31"`
 * includes all of 31 January. Either end may be left out.
 */
export const dateRangeInput = inputObject(
  'DateRange',
  'An inclusive range of dates, each end as precise as written: `{ from: "2026-01-01", to: "2026-01-31" }` covers all of January (31 January included). Either end may be left out.',
  {
    from: date('The earliest date, included.').nullish(),
    to: date('The latest date, included (all of it: a day up to its last moment).').nullish(),
  },
  (range, refuse) => {
    if (range.from && range.to && range.to.at < range.from.at)
      refuse(
        'to',
        `must not be before from: the range ${range.from.at.toISOString().slice(0, 10)} to ${range.to.at.toISOString().slice(0, 10)} holds no date`,
        'EMPTY_RANGE',
      );
  },
);

// Reading a rule's shape back, for what is built from the rules (GraphQL inputs, export parameters).

type Def = { type: string; innerType?: z.ZodType; element?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };
export const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The rule inside optional/nullable/default wrappers, and whether a value may be left out. */
export function unwrapRule(schema: z.ZodType): { inner: z.ZodType; required: boolean } {
  let inner = schema;
  let required = true;
  for (;;) {
    const def = defOf(inner);
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') {
      required = false;
      inner = def.innerType!;
    } else return { inner, required };
  }
}

/** The rule of a list's items (through a transform such as enumList's), or null when it is no list. */
export function listElementOf(schema: z.ZodType): z.ZodType | null {
  const def = defOf(schema);
  if (def.type === 'array') return unwrapRule(def.element!).inner;
  if (def.type === 'pipe' && def.in) return listElementOf(def.in);
  return null;
}

/** The fields of an object rule (through a transform such as `completed`'s), or null when it is none. */
export function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | null {
  const def = defOf(schema);
  if (def.type === 'pipe' && def.in) return shapeOf(def.in);
  return def.shape ?? null;
}
