// Input rules shared by every write path (GraphQL mutations, entity writes, bulk import), so a
// rule means the same wherever data comes in.
import { z } from 'zod';
import { InvalidInputError } from './errors.js';

/** The values of a Prisma enum object, for `z.enum`. */
export const values = <E extends Record<string, string>>(e: E) => Object.values(e) as [E[keyof E], ...E[keyof E][]];

/**
 * Non-empty text of at most `max` characters that PostgreSQL can store: no NUL character, no
 * unpaired surrogate (neither is valid text; the database would refuse or mangle it).
 */
export const words = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === null ? 'must not be null: it is required' : 'must be text') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((text) => !text.includes('\u0000') && text.isWellFormed(), 'must be valid text: no NUL characters or unpaired surrogates');

/** A real date with a four-digit year (PostgreSQL has no year 0; no source reports year 20000). */
export const plausibleDate = z
  .date({ error: 'must be a date' })
  .refine(
    (date) => !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1000 && date.getUTCFullYear() <= 9999,
    'must be a real date between the years 1000 and 9999',
  );

/** Database ids are PostgreSQL `integer`s. */
export const MAX_ID = 2_147_483_647;

/** A zod issue path as the client wrote it: `figures[0].quantity.low`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

/** Parses input against its rules, or throws InvalidInputError naming every broken field and rule. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInputError(result.error.issues.map((issue) => ({ field: fieldPath(issue.path), rule: issue.message })));
}
