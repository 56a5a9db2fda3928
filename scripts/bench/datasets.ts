// Synthetic databases for the benchmark, built once per size and reused while they still hold
// exactly that dataset: PostgreSQL databases `bench_<figures>` on the server (another prefix
// with BENCH_DATABASE_PREFIX, so runs sharing a server keep their own), PGlite data
// directories `data/bench/pglite-<figures>` for the embedded case.
import { rmSync } from 'node:fs';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { formatPrismaCursor } from '@pothos/plugin-prisma';
import pg from 'pg';
import { createApiKey } from '../../src/auth/keys.js';
import { parseDatabaseUrl } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { DatabaseLockedError } from '../../src/db/lock.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { applyMigrations } from '../../src/db/schema-engine.js';
import { claimantKeySql } from '../../src/claims/standing.js';
import { refreshStandings } from '../../src/claims/standing-positions.js';
import { synthesise } from '../../src/synth/synth.js';
import type { Fixture } from './operations.js';

export const SEED = 42;

export interface Dataset {
  label: string;
  engine: 'PostgreSQL' | 'PGlite';
  figures: number;
  databaseUrl: string;
  fixture: Fixture;
  /** A WRITE key for the write operation. */
  secret: string;
  /** Seconds spent synthesising, or null when an earlier run's dataset was reused. */
  builtInSeconds: number | null;
}

async function holdsDataset(db: Database, figures: number): Promise<boolean> {
  const [row] = await db.prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "ExternalId" WHERE "ownerId" = 0 AND "entityType" = 'Figure' AND "externalId" LIKE ${`synth-${SEED}-%`}`;
  return Number(row!.n) === figures;
}

/** Opens (building first if needed) the dataset of `figures` on a server or on PGlite. */
export async function prepareDataset(engine: Dataset['engine'], figures: number, serverUrl: string): Promise<Dataset> {
  const databaseUrl =
    engine === 'PostgreSQL' ? withDatabase(serverUrl, `${process.env.BENCH_DATABASE_PREFIX ?? 'bench'}_${figures}`) : `file:data/bench/pglite-${figures}`;
  // A database that cannot be opened is rebuilt, but not one another process holds: rebuilding
  // it removed the directory under a run that was building it.
  let db = await openDatabase(parseDatabaseUrl(databaseUrl)).catch((error: unknown) => {
    if (error instanceof DatabaseLockedError) throw error;
    return null;
  });
  let builtInSeconds: number | null = null;
  if (!db || !(await holdsDataset(db, figures).catch(() => false))) {
    await db?.close();
    await recreate(engine, databaseUrl, serverUrl);
    db = await openDatabase(parseDatabaseUrl(databaseUrl));
    await applyMigrations(db.adapterFactory);
    console.log(`  building ${engine} dataset of ${figures.toLocaleString('en')} figures ...`);
    builtInSeconds = (await synthesise(db.prisma, { figures, seed: SEED })).elapsedMs / 1000;
  }
  try {
    await applyMigrations(db.adapterFactory); // a reused dataset gets the indexes added since
    await removeBenchmarkWrites(db);
    // As autovacuum leaves a database some time after a bulk load or a migration's backfill: the
    // visibility map set (index-only scans read no rows) and the statistics fresh. Measured
    // straight after a backfill, the deep figures page's count read the whole heap instead.
    await db.prisma.$executeRawUnsafe('VACUUM (ANALYZE)');
    const fixture = await readFixture(db);
    const { secret } = await createApiKey(db.prisma, `benchmark ${new Date().toISOString()}`, ['WRITE']);
    return { label: `${engine} ${compact(figures)}`, engine, figures, databaseUrl, fixture, secret, builtInSeconds };
  } finally {
    await db.close();
  }
}

async function recreate(engine: Dataset['engine'], databaseUrl: string, serverUrl: string) {
  if (engine === 'PGlite') {
    rmSync(databaseUrl.slice('file:'.length), { recursive: true, force: true });
    return;
  }
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

/**
 * Takes out what earlier runs' write operation recorded (statements with a `bench-` externalId,
 * their figures, links and audit changes), so every run measures the synthetic dataset as built.
 */
async function removeBenchmarkWrites(db: Database) {
  // One transaction, given minutes: at 1M figures the cascades take seconds (Prisma's default is 5 s).
  await db.prisma.$transaction(
    async (tx) => {
      const benchStatements = Prisma.sql`SELECT "entityId" FROM "ExternalId" WHERE "entityType" = 'Statement' AND "externalId" LIKE 'bench-%'`;
      // The kept positions these statements' figures were part of, recomputed once they are gone.
      const [touched] = await tx.$queryRaw<{ claimants: string[] | null; incidents: number[] | null }[]>`
        SELECT array_agg(DISTINCT ${claimantKeySql}) AS claimants, array_agg(DISTINCT f."incidentId") FILTER (WHERE f."incidentId" IS NOT NULL) AS incidents
        FROM "Statement" s JOIN "Figure" f ON f."statementId" = s.id WHERE s.id IN (${benchStatements})`;
      await tx.$executeRaw`
        DELETE FROM "Change" WHERE ("entityType" = 'Figure' AND "entityId" IN (SELECT f.id FROM "Figure" f WHERE f."statementId" IN (${benchStatements})))
          OR ("entityType" = 'Statement' AND "entityId" IN (${benchStatements}))`;
      // Figures, source links and incident links go with their statement (ON DELETE CASCADE).
      await tx.$executeRaw`DELETE FROM "Statement" WHERE id IN (${benchStatements})`;
      await tx.$executeRaw`DELETE FROM "ExternalId" WHERE "entityType" = 'Statement' AND "externalId" LIKE 'bench-%'`;
      await refreshStandings(tx, { claimants: touched?.claimants ?? [], incidentIds: touched?.incidents ?? [] });
    },
    { timeout: 600_000 },
  );
}

export async function readFixture(db: Database): Promise<Fixture> {
  const one = async <T>(query: Promise<T[]>) => (await query)[0]!;
  // An incident halfway through the ids that has statements, so the lookup has work to do.
  const incident = await one(db.prisma.$queryRaw<{ id: number }[]>`
    SELECT "incidentId" AS id FROM "StatementIncident"
    WHERE "incidentId" >= (SELECT (min(id) + max(id)) / 2 FROM "Incident") ORDER BY "incidentId" LIMIT 1`);
  // Writes go to the oldest incident: outside the nested page (newest first), the node lookup and
  // the discrepancy month, so what the write adds during a run changes no other operation's work.
  const writeIncident = await one(db.prisma.$queryRaw<{ id: number }[]>`
    SELECT id FROM "Incident" WHERE "startedAt" IS NOT NULL ORDER BY "startedAt", id LIMIT 1`);
  const source = await one(db.prisma.$queryRaw<{ id: number }[]>`SELECT min(id) AS id FROM "Source"`);
  // The figure 90% of the way into the current KILLED figures, in the connection's id order:
  // `standing` is the column the database keeps by the rule of current views (figure_stands).
  const deep = await one(db.prisma.$queryRaw<{ id: number }[]>`
    WITH current AS (SELECT f.id FROM "Figure" f WHERE f.metric = 'KILLED' AND f.standing)
    SELECT id FROM current ORDER BY id OFFSET (SELECT (count(*) * 9) / 10 FROM current) LIMIT 1`);
  const group = await one(db.prisma.$queryRaw<{ id: number; name: string }[]>`
    SELECT id, name FROM "Organisation" WHERE kind = 'ARMED_GROUP' ORDER BY id LIMIT 1`);
  return {
    incident: encodeGlobalID('Incident', incident.id),
    writeIncident: encodeGlobalID('Incident', writeIncident.id),
    source: encodeGlobalID('Source', source.id),
    deepFigureCursor: formatPrismaCursor({ id: deep.id }, 'id'),
    searchTerms: group.name,
    month: { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' },
    claimant: encodeGlobalID('Organisation', group.id),
  };
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export const compact = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1_000 ? `${n / 1_000}k` : String(n));
