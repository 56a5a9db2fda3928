// Where the seed article's data is, apart from the code that writes it: the seed archive's name
// (src/seed/archive.ts) hashes it without loading the write functions.
import { fileURLToPath } from 'node:url';

export const DEFAULT_SEED_FILE = fileURLToPath(new URL('../../prisma/seed/seed-article.json', import.meta.url));
