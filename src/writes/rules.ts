// Input rules shared by every write path (GraphQL mutations, entity writes, bulk import), so a
// rule means the same wherever data comes in.
import { z } from 'zod';

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
