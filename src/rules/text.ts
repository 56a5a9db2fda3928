// Text any field may hold: trimmed, not empty, at most its documented length, and storable by
// PostgreSQL (no NUL character, no unpaired surrogate: the database would refuse or mangle it,
// and a mangled idempotency key or external ID could match another one).
import { z } from 'zod';

/** Whether PostgreSQL can store `text` as written: the one test, for every input path. */
export const storable = (text: string) => !text.includes('\u0000') && text.isWellFormed();
export const UNSTORABLE_TEXT = 'must be valid text: no NUL characters or unpaired surrogates';

/** Non-empty text of at most `max` characters (after trimming). */
export const words = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(storable, { message: UNSTORABLE_TEXT, params: { code: 'INVALID_TEXT' } });
