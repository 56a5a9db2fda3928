// A new data directory made from the build's seed archive (src/seed/archive.ts) holds what
// migrating and seeding it would, table by table; an archive made from other migrations or
// another seed file is never used.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { MIGRATIONS_DIR } from '../src/db/migration-files.js';
import { applyMigrations } from '../src/db/schema-engine.js';
import { currentSeedArchive, seedArchiveName } from '../src/seed/archive.js';
import { writeSeedArchive } from '../src/seed/make-archive.js';
import { seedDatabase } from '../src/seed/seed.js';
import { DEFAULT_SEED_FILE } from '../src/seed/seed-file.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-seed-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const started = Date.now();
const archives = join(dir, 'archives');
let made: Promise<string> | undefined;
/** The archive, made once for both tests (migrating and seeding takes a while on a busy machine). */
const seedArchive = () => (made ??= writeSeedArchive(archives));
/** Each test migrates and seeds at least once: minutes on a busy machine. */
const SLOW = 300_000;

/**
 * When a row was written differs between two runs of the same writes: timestamps since this test
 * started (columns, and inside the audit log's before/after documents) read as "written", and
 * the migrations' random row ids are left out. The seed's own dates are months older.
 */
const TIMESTAMP = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:\d\d)?"/g;
const withoutWriteTimes = (json: string) =>
  json.replace(TIMESTAMP, (text, at: string, zone: string | undefined) => (Date.parse(`${at}${zone ?? 'Z'}`) >= started - 3_600_000 ? '"written"' : text));
const RANDOM = new Set(['_prisma_migrations.id']);

/** Every table of the public schema, its rows as sorted JSON, write times left out. */
async function contents(db: Database): Promise<Record<string, string[]>> {
  const pglite = db.pglite!;
  const columns = await pglite.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const { table_name: table, column_name: column } of columns) {
    if (!byTable.has(table)) byTable.set(table, []);
    if (!RANDOM.has(`${table}.${column}`)) byTable.get(table)!.push(column);
  }
  const result: Record<string, string[]> = {};
  for (const [table, names] of byTable) {
    const select = names.map((name) => `'${name}', "${name}"`).join(', ');
    const rows = await pglite.query<{ row: unknown }>(`SELECT json_build_array(${select}) AS row FROM "${table}"`);
    result[table] = rows.map(({ row }) => withoutWriteTimes(JSON.stringify(row))).sort();
  }
  return result;
}

describe('the seed archive', () => {
  it(
    'makes a new data directory that holds the same rows, table by table, as migrating and seeding one',
    async () => {
      const archive = await seedArchive();
      expect(currentSeedArchive(archives)).toBe(archive);

      const fromArchive = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'from-archive') }, { newFrom: () => archive });
      const migrated = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'migrated') });
      try {
        expect(await applyMigrations(fromArchive.adapterFactory)).toEqual([]); // nothing left to apply
        await applyMigrations(migrated.adapterFactory);
        await seedDatabase(migrated.prisma);
        const [archived, seeded] = await Promise.all([contents(fromArchive), contents(migrated)]);
        expect(Object.keys(archived).length).toBeGreaterThan(10);
        expect(archived.Statement?.length).toBeGreaterThan(0);
        for (const table of Object.keys(seeded)) expect({ table, rows: archived[table] }).toEqual({ table, rows: seeded[table] });
        expect(Object.keys(archived).sort()).toEqual(Object.keys(seeded).sort());
      } finally {
        await Promise.all([fromArchive.close(), migrated.close()]);
      }

      // An existing data directory is never replaced by the archive: it keeps what it holds.
      const existing = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'existing') });
      await applyMigrations(existing.adapterFactory);
      await existing.close();
      const reopened = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'existing') }, { newFrom: () => archive });
      try {
        expect(await reopened.prisma.statement.count()).toBe(0);
      } finally {
        await reopened.close();
      }
    },
    SLOW,
  );

  it(
    'is ignored when the migrations or the seed file changed since it was made (its name is their hash)',
    async () => {
      await seedArchive();
      const migrations = join(dir, 'migrations');
      cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
      const seedFile = join(dir, 'seed.json');
      cpSync(DEFAULT_SEED_FILE, seedFile);
      const inputs = { migrations, seedFile };
      // Same inputs in another place: the same archive.
      expect(seedArchiveName(inputs)).toBe(seedArchiveName());
      expect(currentSeedArchive(archives, inputs)).not.toBeNull();

      writeFileSync(seedFile, JSON.stringify({ ...JSON.parse(readFileSync(seedFile, 'utf8')) }, null, 1));
      expect(currentSeedArchive(archives, inputs)).toBeNull();
      cpSync(DEFAULT_SEED_FILE, seedFile);
      writeFileSync(join(migrations, 'migration_lock.toml'), `${readFileSync(join(migrations, 'migration_lock.toml'), 'utf8')}\n`);
      expect(currentSeedArchive(archives, inputs)).toBeNull();

      // A new data directory with no current archive is created empty, to be migrated and seeded.
      const db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'no-archive') }, { newFrom: () => currentSeedArchive(archives, inputs) });
      try {
        const tables = await db.pglite!.query<{ count: number }>(`SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = 'public'`);
        expect(tables[0]!.count).toBe(0);
      } finally {
        await db.close();
      }
    },
    SLOW,
  );
});
