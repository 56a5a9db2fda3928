// Start-up only: config → database (migrated, seeded on first run) → gateway → listen → shutdown.
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.js';
import { openDatabase, serverName } from './db/database.js';
import { applyMigrations } from './db/schema-engine.js';
import { analyzeStaleTables } from './db/statistics.js';
import { announceLocalGateway, newLocalAdminToken } from './cli/local-gateway.js';
import { createEventBus } from './events/claim-events.js';
import { drainableServer } from './http/drain.js';
import { createLogger } from './http/hardening.js';
import { seedDatabase } from './seed/seed.js';

const config = loadConfig();
const logger = createLogger(config);
// The few start-up and shutdown lines are written at `info` even when LOG_LEVEL is quieter
// (warn, error): they say where the gateway listens; LOG_LEVEL=silent silences them too.
const lifecycle = logger.child({}, { level: config.logLevel === 'silent' ? 'silent' : 'info' });
/** Requests in progress at SIGTERM have this long to finish (orchestrators wait 30 s before SIGKILL). */
const DRAIN_DEADLINE_MS = 20_000;
// The embedded database opens on its own thread while this one builds the GraphQL schema
// (the gateway module builds it when loaded): start-up pays for the longer of the two, not both.
const opening = openDatabase(config.database);
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
if (config.seedWhenEmpty && (await db.prisma.statement.count()) === 0) {
  await seedDatabase(db.prisma);
  lifecycle.info('Loaded the seed article into the empty database');
}

// PGlite has no autovacuum: stale tables (a fresh seed, changes since the last ANALYZE) are
// analysed before serving; the database keeps them fresh from then on (src/db/statistics.ts).
if (db.pglite) await analyzeStaleTables(db.pglite);

// While this process holds the embedded database, the command line goes through it.
const localAdminToken = config.database.kind === 'pglite' ? newLocalAdminToken() : null;
let withdrawAnnouncement = () => {};

// The live feed: in-process, or shared with the other instances through Redis (REDIS_URL).
const events = createEventBus(config);

const { server, drain } = drainableServer(createGateway(db, config, { events, localAdminToken, logger }));
server.listen(config.port, config.host, () => {
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
