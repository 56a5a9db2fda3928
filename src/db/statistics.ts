// The planner's statistics for the embedded database. PGlite has no autovacuum, so nothing
// refreshes them: without them the planner misjudges every large query. PostgreSQL's own rule
// decides when a table is stale (autovacuum_analyze_threshold 50 + scale factor 0.1 of its rows);
// tables never analysed count as stale. The statistics live in the catalog and survive a restart;
// the counts of changes since the last ANALYZE do not, so stale tables are analysed in the
// background while serving and once more at a clean close. PGlite's one backend never goes idle,
// so it reports its counts of changes only when asked to (pg_stat_force_next_flush).
import type { EmbeddedDatabase } from './embedded.js';

/** How often the background check looks for stale tables. */
const CHECK_EVERY_MS = 60_000;

const STALE_TABLES = `
  SELECT format('%I.%I', s.schemaname, s.relname) AS name
  FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
  WHERE c.reltuples < 0 OR s.n_mod_since_analyze > 50 + 0.1 * c.reltuples`;

/** ANALYZEs the tables that are stale; returns their names (none when all are fresh). */
export async function analyzeStaleTables(pglite: EmbeddedDatabase): Promise<string[]> {
  await pglite.query('SELECT pg_stat_force_next_flush()');
  const stale = (await pglite.query<{ name: string }>(STALE_TABLES)).map((row) => row.name);
  if (stale.length > 0) await pglite.exec(`ANALYZE ${stale.join(', ')}`);
  return stale;
}

/** Keeps the statistics fresh until `stop()`, which analyses what is still stale once more. */
export function keepStatisticsFresh(pglite: EmbeddedDatabase): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const check = () => (running = running.then(() => analyzeStaleTables(pglite)).catch(() => {}));
  const timer = setInterval(check, CHECK_EVERY_MS).unref();
  return {
    async stop() {
      clearInterval(timer);
      await check();
    },
  };
}
