// `npm run db:synth -- --figures 10000 [--seed 42]`: adds a synthetic dataset (see
// src/synth/synth.ts) to the database DATABASE_URL names, after applying the migrations. On an
// embedded database it takes the same lock as the gateway, so it refuses while one is running.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { DatabaseLockedError } from '../db/lock.js';
import { applyMigrations } from '../db/schema-engine.js';
import { synthesise } from '../synth/synth.js';

const usage = 'usage: npm run db:synth -- --figures <count> [--seed <number>]';

async function main() {
  const { values } = parseArgs({ options: { figures: { type: 'string' }, seed: { type: 'string', default: '42' } } });
  const figures = Number(values.figures);
  const seed = Number(values.seed);
  if (values.figures === undefined || !Number.isInteger(figures) || figures < 10) throw new Error(`--figures must be an integer of at least 10\n${usage}`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer\n${usage}`);

  const config = loadConfig();
  let db;
  try {
    // Bulk inserts and VACUUM (ANALYZE) of a large dataset run longer than a served request may.
    db = await openDatabase(
      config.database.kind === 'postgres' ? { ...config.database, statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 } : config.database,
    );
  } catch (error) {
    if (error instanceof DatabaseLockedError) {
      throw new Error(`${error.message}\ndb:synth writes to the database directly: stop the gateway first.`);
    }
    throw error;
  }
  try {
    const applied = await applyMigrations(db.adapterFactory);
    if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);
    console.log(
      `Synthesising ${figures.toLocaleString('en')} figures (seed ${seed}) into ${config.database.kind === 'postgres' ? 'PostgreSQL' : config.database.kind === 'memory' ? 'an in-memory PGlite' : config.database.dataDir} ...`,
    );
    const { counts, rows, elapsedMs, insertMs } = await synthesise(db.prisma, { figures, seed });
    for (const [table, n] of Object.entries(counts)) {
      console.log(`  ${table.padEnd(20)} ${n.toLocaleString('en').padStart(12)} rows ${(insertMs[table]! / 1000).toFixed(1).padStart(7)} s inserting`);
    }
    const seconds = elapsedMs / 1000;
    console.log(
      `${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds).toLocaleString('en')} rows/s, ${Math.round(counts.Figure! / seconds).toLocaleString('en')} figures/s`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
