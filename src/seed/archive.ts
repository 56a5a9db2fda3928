// A new embedded data directory made from an archive instead of migrated and seeded (~2 s of a
// fresh start, most of it the seed's writes): `npm run build` migrates and seeds an in-memory
// database and writes its dumpDataDir() tarball to dist/seed/ (src/cli/seed-archive.ts), named by
// the hash of what made it: the migrations, the seed file and PGlite's version. A start whose
// inputs hash to another name finds no archive and migrates and seeds as before; so does every
// start from source (tsx), beside which there is no archive.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS_DIR } from '../db/migration-files.js';
import { installedVersion } from '../installed-version.js';
import { DEFAULT_SEED_FILE } from './seed-file.js';

/** Where the build writes the archive: beside the compiled seed module (dist/seed/). */
export const SEED_ARCHIVE_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface SeedInputs {
  migrations: string;
  seedFile: string;
}
const DEFAULT_INPUTS: SeedInputs = { migrations: MIGRATIONS_DIR, seedFile: DEFAULT_SEED_FILE };

/** `seed-<hash>.tar.gz`: the hash of every file of the migrations (path and bytes), the seed file and PGlite's version. */
export function seedArchiveName(inputs: SeedInputs = DEFAULT_INPUTS): string {
  const hash = createHash('sha256').update(`pglite ${installedVersion('@electric-sql/pglite')}\n`);
  const files = readdirSync(inputs.migrations, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(`${file.slice(inputs.migrations.length)}\n`).update(readFileSync(file));
  hash.update('seed\n').update(readFileSync(inputs.seedFile));
  return `seed-${hash.digest('hex').slice(0, 32)}.tar.gz`;
}

/**
 * The archive made from the current inputs, when `dir` has one; null otherwise (stale or none, or
 * the inputs are not where they are looked for: then the start migrates and seeds, and reports that).
 */
export function currentSeedArchive(dir: string = SEED_ARCHIVE_DIR, inputs: SeedInputs = DEFAULT_INPUTS): string | null {
  let name: string;
  try {
    name = seedArchiveName(inputs);
  } catch {
    return null;
  }
  const file = join(dir, name);
  return existsSync(file) ? file : null;
}
