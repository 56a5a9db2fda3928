// The planner's statistics and the vacuum of the embedded database. PGlite has no autovacuum, so
// nothing does either: without statistics the planner misjudges every large query, and without
// VACUUM dead rows are never reclaimed and the visibility map stays empty, so an index-only scan
// (a bounded count, say) visits every row it counts. PostgreSQL's own rules decide when a table is
// stale: analyse past 50 + 10 % of its rows changed (tables never analysed count as stale), vacuum
// past 50 + 20 % dead or 1000 + 20 % inserted since the last vacuum. The statistics live in the
// catalog and survive a restart; the counts of changes do not, so stale tables are maintained in
// the background while serving and once more at a clean close. PGlite's one backend never goes
// idle, so it reports its counts of changes only when asked to (pg_stat_force_next_flush).
import type { EmbeddedDatabase } from './embedded.js';

/** How often the background check looks for stale tables. */
const CHECK_EVERY_MS = 60_000;

const STALE_TABLES = `
  SELECT name, vacuum FROM (
    SELECT format('%I.%I', s.schemaname, s.relname) AS name,
           s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0) OR s.n_ins_since_vacuum > 1000 + 0.2 * greatest(c.reltuples, 0) AS vacuum,
           c.reltuples < 0 OR s.n_mod_since_analyze > 50 + 0.1 * c.reltuples AS stale_statistics
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid) tables
  WHERE vacuum OR stale_statistics ORDER BY name`;

/** VACUUMs (and ANALYZEs) or only ANALYZEs the tables that are stale; returns their names (none when all are fresh). */
export async function maintainStaleTables(pglite: EmbeddedDatabase): Promise<string[]> {
  await pglite.query('SELECT pg_stat_force_next_flush()');
  const stale = await pglite.query<{ name: string; vacuum: boolean }>(STALE_TABLES);
  const vacuumed = stale.filter((table) => table.vacuum).map((table) => table.name);
  const analysed = stale.filter((table) => !table.vacuum).map((table) => table.name);
  if (vacuumed.length > 0) await pglite.exec(`VACUUM (ANALYZE) ${vacuumed.join(', ')}`);
  if (analysed.length > 0) await pglite.exec(`ANALYZE ${analysed.join(', ')}`);
  return stale.map((table) => table.name);
}

/** Keeps the statistics fresh and the tables vacuumed until `stop()`, which maintains what is still stale once more. */
export function keepStatisticsFresh(pglite: EmbeddedDatabase): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const check = () => (running = running.then(() => maintainStaleTables(pglite)).catch(() => {}));
  const timer = setInterval(check, CHECK_EVERY_MS).unref();
  return {
    async stop() {
      clearInterval(timer);
      await check();
    },
  };
}
