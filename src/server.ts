// Start-up only: config → database (migrated, seeded on first run) → gateway → listen → shutdown.
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.js';
import { openEmbedded } from './db/embedded-open.js';
import { currentSeedArchive } from './seed/archive.js';

const config = loadConfig();
// The embedded database's thread starts before the rest of the gateway is even loaded (only the
// modules above are): it opens the data directory while this thread loads the gateway's modules
// and builds the GraphQL schema, so start-up pays for the longer of the two, not both. A new data
// directory that is to be seeded is made from the build's seed archive when it has one for the
// current migrations and seed (src/seed/archive.ts); otherwise it is migrated and seeded below.
const embedded =
  config.database.kind === 'postgres' ? undefined : openEmbedded(config.database, { newFrom: () => (config.seedWhenEmpty ? currentSeedArchive() : null) });
embedded?.catch(() => {}); // reported where it is awaited, below
const [
  { openDatabase, serverName },
  { applyMigrations },
  { maintainStaleTables },
  { announceLocalGateway, newLocalAdminToken },
  { createEventBus },
  { drainableServer },
  { createLogger },
  { holdsNoStatements, seedDatabase },
] = await Promise.all([
  import('./db/database.js'),
  import('./db/schema-engine.js'),
  import('./db/statistics.js'),
  import('./cli/local-gateway.js'),
  import('./events/claim-events.js'),
  import('./http/drain.js'),
  import('./http/hardening.js'),
  import('./seed/seed.js'),
]);
const logger = createLogger(config);
// The few start-up and shutdown lines are written at `info` even when LOG_LEVEL is quieter
// (warn, error): they say where the gateway listens; LOG_LEVEL=silent silences them too.
const lifecycle = logger.child({}, { level: config.logLevel === 'silent' ? 'silent' : 'info' });
/** Requests in progress at SIGTERM have this long to finish (orchestrators wait 30 s before SIGKILL). */
const DRAIN_DEADLINE_MS = 20_000;
// The gateway module builds the GraphQL schema when loaded.
const opening = openDatabase(config.database, { embedded });
opening.catch(() => {}); // reported where it is awaited, below
const { createGateway } = await import('./http/gateway.js');
const db = await opening;
const database =
  config.database.kind === 'postgres'
    ? { kind: 'postgres', server: serverName(config.database.url), replicas: db.replicas, poolSize: config.database.poolSize }
    : { kind: config.database.kind, ...(config.database.kind === 'pglite' ? { dataDir: config.database.dataDir } : {}) };
lifecycle.info({ database }, 'database opened');
const migrationsStarted = performance.now();
const applied = await applyMigrations(db.adapterFactory);
lifecycle.info({ migrations: applied, ms: Math.round(performance.now() - migrationsStarted) }, `Applied ${applied.length} migrations`);
const seeded = config.seedWhenEmpty && (await holdsNoStatements(db.adapterFactory));
if (seeded) {
  await seedDatabase(db.prisma);
  lifecycle.info('Loaded the seed article into the empty database');
}

// PGlite has no autovacuum: stale tables (a fresh seed, new tables) are analysed (and vacuumed where due) before serving
// when this start migrated or seeded; the database keeps them fresh from then on
// (src/db/statistics.ts). A database this start did not change is checked just after listening
// instead: the counts of changes do not survive a restart, so only a table another process
// created since (never analysed) can be stale, and the check cost ~0.2 s of every start.
const unchanged = applied.length === 0 && !seeded;
if (db.pglite && !unchanged) await maintainStaleTables(db.pglite);

// While this process holds the embedded database, the command line goes through it.
const localAdminToken = config.database.kind === 'pglite' ? newLocalAdminToken() : null;
let withdrawAnnouncement = () => {};

// The live feed: in-process, or shared with the other instances through Redis (REDIS_URL).
const events = createEventBus(config);

const { server, drain } = drainableServer(createGateway(db, config, { events, localAdminToken, logger }));
server.listen(config.port, config.host, () => {
  if (db.pglite && unchanged) maintainStaleTables(db.pglite).catch(() => {}); // see above
  const { port } = server.address() as AddressInfo;
  if (config.database.kind === 'pglite' && localAdminToken) {
    withdrawAnnouncement = announceLocalGateway(config.database.dataDir, `http://127.0.0.1:${port}`, localAdminToken);
  }
  // Time to ready: since the process started (module loading included), as an orchestrator sees it.
  lifecycle.info(
    {
      address: `${config.host}:${port}`,
      database: database.kind,
      tracing: config.tracing ? new URL(config.tracing.tracesUrl).origin : null,
      readyMs: Math.round(performance.now()),
    },
    `GraphQL gateway on http://localhost:${port}/graphql`,
  );
});

// Graceful shutdown: serve the requests received, refuse the rest with 503, close the listener
// once quiet, then close the database (which releases the embedded database's lock). A second
// signal exits at once.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) process.exit(1);
  stopping = true;
  lifecycle.info({ signal }, `${signal}: draining requests and closing the database`);
  const forced = setTimeout(() => process.exit(1), DRAIN_DEADLINE_MS + 5_000).unref();
  // Complete the live-feed streams first: an open subscription keeps its connection busy.
  await drain.stop({ deadlineMs: DRAIN_DEADLINE_MS, beforeDraining: () => events.close() });
  withdrawAnnouncement();
  await db.close();
  clearTimeout(forced);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
