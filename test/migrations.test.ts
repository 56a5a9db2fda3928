// Migrations through the Wasm schema engine: schema.prisma and the migrations agree, and they
// apply to PGlite and PostgreSQL with the `_prisma_migrations` history the Prisma CLI keeps.
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { describe, expect, it } from 'vitest';
import { applyMigrations, createMigration, pendingSchemaChanges } from '../src/db/schema-engine.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { databaseUrl, dropDatabase, uniqueName, withServer } from './support/templates.js';

const migrationsDir = 'prisma/migrations';

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}

/** Applies every migration, checks the history as `prisma migrate deploy` would write it, and round-trips a row. */
async function expectMigrates(adapterFactory: SqlMigrationAwareDriverAdapterFactory, query: (sql: string) => Promise<unknown[]>) {
  const applied = await applyMigrations(adapterFactory);
  expect(applied.length).toBeGreaterThan(0);

  const rows = (await query(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
  )) as MigrationRow[];
  expect(rows.map((row) => row.migration_name)).toEqual(applied);
  for (const row of rows) {
    const script = await readFile(path.join(migrationsDir, row.migration_name, 'migration.sql'));
    expect(row.checksum).toBe(createHash('sha256').update(script).digest('hex'));
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.rolled_back_at).toBeNull();
    expect(row.applied_steps_count).toBe(1);
  }

  expect(await applyMigrations(adapterFactory)).toEqual([]);

  // Up to date is decided from the recorded history: a migration added to the folder still goes
  // to the engine; one whose script changed after it was applied is not applied again (as
  // `prisma migrate deploy`).
  const dir = await mkdtemp(path.join(tmpdir(), 'migrations-added-'));
  try {
    await cp(migrationsDir, dir, { recursive: true });
    await mkdir(path.join(dir, '29991231000000_probe'));
    await writeFile(path.join(dir, '29991231000000_probe', 'migration.sql'), 'CREATE TABLE "MigrationProbe" (id int PRIMARY KEY);\n');
    expect(await applyMigrations(adapterFactory, dir)).toEqual(['29991231000000_probe']);
    expect(await applyMigrations(adapterFactory, dir)).toEqual([]);
    await appendFile(path.join(dir, '29991231000000_probe', 'migration.sql'), '-- edited after it was applied\n');
    expect(await applyMigrations(adapterFactory, dir)).toEqual([]);
    await query('DROP TABLE "MigrationProbe"');
    await query(`DELETE FROM _prisma_migrations WHERE migration_name = '29991231000000_probe'`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const prisma = new PrismaClient({ adapter: adapterFactory });
  try {
    const { id } = await prisma.place.create({ data: { name: 'Quetta', kind: 'CITY' } });
    expect(await prisma.place.findUnique({ where: { id } })).toMatchObject({ name: 'Quetta', kind: 'CITY' });
  } finally {
    await prisma.$disconnect();
  }
}

describe('drift', () => {
  it('schema.prisma has no change that no migration holds (else: npm run db:migration -- <name>)', async () => {
    expect(await pendingSchemaChanges()).toBe('');
  });

  it('sees a schema change, and createMigration captures it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-test-'));
    const paths = { schema: path.join(dir, 'schema.prisma'), migrations: path.join(dir, 'migrations') };
    try {
      await cp('prisma/schema.prisma', paths.schema);
      await cp(migrationsDir, paths.migrations, { recursive: true });
      await appendFile(paths.schema, '\nmodel DriftProbe {\n  id Int @id\n}\n');

      expect(await pendingSchemaChanges(paths)).toContain('CREATE TABLE "DriftProbe"');

      const folder = await createMigration('drift probe', paths);
      expect(folder).toMatch(/[/\\]\d{14}_drift_probe$/);
      expect(await readFile(path.join(folder!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "DriftProbe"');
      expect(await pendingSchemaChanges(paths)).toBe('');
      expect(await createMigration('again', paths)).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('applyMigrations', () => {
  it('migrates a fresh in-memory PGlite', async () => {
    const pglite = new PGlite();
    try {
      await expectMigrates(new PrismaPGlite(pglite), async (sql) => (await pglite.query(sql)).rows);
      const tables = await pglite.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
      );
      expect(tables.rows[0]!.count).toBeGreaterThan(0);
    } finally {
      await pglite.close();
    }
  });

  // Skipped without a server, except in CI, where a missing TEST_DATABASE_URL must fail.
  const serverUrl = process.env.TEST_DATABASE_URL;
  it.skipIf(!serverUrl && process.env.CI !== 'true')('migrates a fresh PostgreSQL database', async () => {
    if (!serverUrl) throw new Error('CI=true but TEST_DATABASE_URL is not set');
    const name = uniqueName('migrations_test');
    await withServer(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
    try {
      const url = databaseUrl(serverUrl, name);
      await withServer(url, (client) => expectMigrates(new PrismaPg({ connectionString: url }), async (sql) => (await client.query(sql)).rows));
    } finally {
      await dropDatabase(serverUrl, name);
    }
  });
});
