// Global setup (PostgreSQL server): one migrated, seeded template database per run.
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.js';
import { applyMigrations } from '../../src/db/schema-engine.js';
import { seedDatabase } from '../../src/seed/seed.js';
import { databaseUrl, dropDatabase, uniqueName, withServer } from './templates.js';

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL!;
  const template = uniqueName('gateway_template');
  await withServer(serverUrl, (client) => client.query(`CREATE DATABASE "${template}"`));
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl(serverUrl, template), poolSize: 2 });
  await applyMigrations(db.adapterFactory);
  await seedDatabase(db.prisma);
  await db.close();
  project.provide('template', { backend: 'postgres', serverUrl, template });
  return () => dropDatabase(serverUrl, template);
}
