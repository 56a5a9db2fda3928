// Makes the seed archive (see ./archive.ts): an in-memory database migrated, seeded and analysed
// as a start would leave a new data directory, dumped as a tarball named by its inputs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/database.js';
import { applyMigrations } from '../db/schema-engine.js';
import { maintainStaleTables } from '../db/statistics.js';
import { SEED_ARCHIVE_DIR, seedArchiveName, type SeedInputs } from './archive.js';
import { seedDatabase } from './seed.js';

/** Writes the archive for `inputs` into `dir`; returns its path. */
export async function writeSeedArchive(dir: string = SEED_ARCHIVE_DIR, inputs?: SeedInputs): Promise<string> {
  const db = await openDatabase({ kind: 'memory' });
  try {
    await applyMigrations(db.adapterFactory, inputs?.migrations);
    await seedDatabase(db.prisma, inputs?.seedFile);
    await maintainStaleTables(db.pglite!);
    const archive = await db.pglite!.dumpDataDir('gzip');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, seedArchiveName(inputs));
    writeFileSync(file, new Uint8Array(await archive.arrayBuffer()));
    return file;
  } finally {
    await db.close();
  }
}
