// `npm run db:migrate | db:seed | db:reset`. On an embedded database these take the same lock
// as the server, so they refuse to run while a gateway has the data directory open.
import { rmSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { applyMigrations } from '../db/schema-engine.js';
import { seedDatabase } from '../seed/seed.js';

const command = process.argv[2];
const config = loadConfig();

async function main() {
  if (command === 'reset') {
    if (config.database.kind === 'postgres') {
      throw new Error('db:reset only resets the embedded database; drop and recreate a PostgreSQL database yourself');
    }
    if (config.database.kind === 'pglite') {
      // Take the lock first so a running gateway is never pulled out from under its feet.
      const db = await openDatabase(config.database);
      await db.close();
      rmSync(config.database.dataDir, { recursive: true, force: true });
      console.log(`Removed ${config.database.dataDir}`);
    }
  }
  if (!['migrate', 'seed', 'reset'].includes(command ?? '')) {
    throw new Error(`Unknown command "${command}": use migrate, seed or reset`);
  }
  const db = await openDatabase(config.database);
  try {
    const applied = await applyMigrations(db.adapterFactory);
    console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Migrations: up to date');
    if (command !== 'migrate') {
      const { created } = await seedDatabase(db.prisma);
      const total = Object.values(created).reduce((sum, n) => sum + n, 0);
      console.log(total > 0 ? `Seeded: ${JSON.stringify(created)}` : 'Seed data already present: nothing to add');
    }
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
