// Global setup (PGlite): one migrated, seeded in-memory database, dumped for every test file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.js';
import { applyMigrations } from '../../src/db/schema-engine.js';
import { seedDatabase } from '../../src/seed/seed.js';

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-test-'));
  const db = await openDatabase({ kind: 'memory' });
  await applyMigrations(db.adapterFactory);
  await seedDatabase(db.prisma);
  const dump = await db.pglite!.dumpDataDir('gzip');
  await db.close();
  const dumpFile = join(dir, 'template.tar.gz');
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  project.provide('template', { backend: 'pglite', dumpFile });
  return () => rmSync(dir, { recursive: true, force: true });
}
