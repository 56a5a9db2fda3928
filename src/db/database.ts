// The database and nothing else: an embedded PGlite (locked to this process) or a PostgreSQL
// server pool, with one generated Prisma client over either through its driver adapter, and,
// beside a server, one client per read replica (DATABASE_REPLICA_URLS).
import { PrismaPg } from '@prisma/adapter-pg';
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { readReplicas } from '@prisma/extension-read-replicas';
import type { DatabaseTarget } from '../config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import type { EmbeddedDatabase } from './embedded.js';
import { openEmbedded, type EmbeddedOpenOptions, type OpenedEmbedded } from './embedded-open.js';
import { keepStatisticsFresh } from './statistics.js';
import { countingAdapterFactory } from './sql-statements.js';
import { databaseUnavailability } from './unavailable.js';

/** One dependency `/ready` reports on: the primary or a read replica, named without its address. */
export interface DependencyCheck {
  name: string;
  /** Null when it answered; otherwise what is wrong, never where it lives. */
  problem: string | null;
}

/** A connection pool's figures for `/metrics`: connections open, idle, and requests waiting for one. */
export interface PoolFigures {
  name: 'primary' | `replica ${number}`;
  total: number;
  idle: number;
  waiting: number;
}

export interface Database {
  readonly target: DatabaseTarget;
  /** The primary: every write, and every read that must see the latest writes. */
  readonly prisma: PrismaClient;
  /**
   * The client for one read-only request: a read replica picked at random, or the primary when
   * there are none. One request keeps the one it was given, so its answer never mixes replicas
   * that lag by different amounts, and its raw SQL (trees, totals, search) reads there too.
   */
  reader(): PrismaClient;
  /** Where each replica is (host, port, database; never credentials), in DATABASE_REPLICA_URLS order. */
  readonly replicas: readonly string[];
  /** The raw adapter factory, for the schema engine (migrations). */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The embedded database, when there is one (its own thread; tests dump it as a template). */
  readonly pglite: EmbeddedDatabase | null;
  /**
   * Asks the primary and every replica `SELECT 1`, each within `deadlineMs`: a frozen server
   * (connections accepted, nothing answered) is reported as not answering in time, not waited for.
   */
  check(deadlineMs: number): Promise<DependencyCheck[]>;
  /** The PostgreSQL pools' figures, primary first (none for the embedded database). */
  pools(): PoolFigures[];
  close(): Promise<void>;
}

export interface OpenOptions extends EmbeddedOpenOptions {
  /** The embedded database, already being opened (src/server.ts starts it first). */
  embedded?: Promise<OpenedEmbedded>;
}

/** `host:port/database` of a PostgreSQL URL: enough to find the server, without the password. */
export function serverName(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname}:${port || 5432}${pathname}`;
}

/** How long a connection attempt may take before the server counts as unreachable. */
export const CONNECT_TIMEOUT_MS = 1_500;

/**
 * The server has this long beyond its own statement_timeout to answer: when it has not stopped
 * the statement itself by then, it is not answering at all (frozen, or the network dropped).
 */
const UNANSWERED_AFTER_STATEMENT_TIMEOUT_MS = 2_000;

/**
 * A connection that gives up after CONNECT_TIMEOUT_MS when the server does not answer: pg waits
 * forever by default, so a blackholed server hung /ready and every request
 * (test/faults-database-outage.test.ts).
 */
class ConnectionThatGivesUp extends pg.Client {
  constructor(config: pg.ClientConfig = {}) {
    super({ ...config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  }
}

/**
 * Time limits every pooled connection starts with: the server stops a statement after
 * statement_timeout (57014) and ends a session left idle inside a transaction; the client stops
 * waiting for a server that has not answered shortly after that (a frozen server enforces
 * nothing). 0 turns a limit off.
 */
export function sessionTimeLimits(target: Extract<DatabaseTarget, { kind: 'postgres' }>): pg.ClientConfig {
  const statementMs = target.statementTimeoutMs ?? 0;
  const idleMs = target.idleInTransactionTimeoutMs ?? 0;
  return {
    ...(statementMs > 0 ? { statement_timeout: statementMs, query_timeout: statementMs + UNANSWERED_AFTER_STATEMENT_TIMEOUT_MS } : {}),
    ...(idleMs > 0 ? { idle_in_transaction_session_timeout: idleMs } : {}),
  };
}

/**
 * A PostgreSQL server pool, and the generated client's adapter over it. The pool is made here,
 * not by the adapter, so that `/metrics` can read its figures; it is ended by `close()`.
 */
function serverPool(url: string, target: Extract<DatabaseTarget, { kind: 'postgres' }>) {
  // The time limit is on opening a connection, not on waiting for a free one: under load a
  // request queues for the pool (bounded by REQUEST_TIMEOUT_MS) instead of failing as if the
  // database were down, as it did at 1M figures in the benchmark. TCP keep-alive notices a
  // connection the network dropped. JIT compilation is off: on the discrepancy and track-record
  // queries it cost more than the queries themselves (2.2 of 3–4 s at 1M figures,
  // docs/query-plans.md), and no query here runs long enough to win it back.
  const pool = new pg.Pool({
    connectionString: url,
    max: target.poolSize,
    Client: ConnectionThatGivesUp,
    keepAlive: true,
    options: '-c jit=off',
    ...sessionTimeLimits(target),
  });
  // An idle connection the server ended (a restart, an administrator, a dropped network) is
  // taken out of the pool by pg, and the next query opens another; without a listener its
  // 'error' would end the process. The adapter listens only while a client is connected.
  pool.on('error', () => {});
  return { pool, factory: new PrismaPg(pool, { statementNameGenerator: preparedStatementName }) };
}

/**
 * Every statement is prepared once per connection and reused by name: the compiled reads'
 * statements (src/reads/) took as long to plan as to run (5 of 11 ms for the nested page), and
 * Prisma's own are the same few shapes over and over. The name is the text's hash, so two texts
 * never share one; a connection keeps its statements until the pool closes it (idle connections
 * are closed after pg's ten seconds, which bounds what it holds).
 */
const preparedStatementName = (query: { sql: string }) => `q${createHash('sha1').update(query.sql).digest('base64url')}`;

const poolFigures = (name: PoolFigures['name'], pool: pg.Pool): PoolFigures => ({
  name,
  total: pool.totalCount,
  idle: pool.idleCount,
  waiting: pool.waitingCount,
});

/** A client whose every statement is counted in the request's SQL statement log. */
const countedClient = (factory: SqlMigrationAwareDriverAdapterFactory) => new PrismaClient({ adapter: countingAdapterFactory(factory) });

/** Whether `client` answers `SELECT 1` within `deadlineMs`, and if not, why (in words, no address). */
async function answers(client: PrismaClient, name: string, deadlineMs: number): Promise<DependencyCheck> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${deadlineMs} ms`)), deadlineMs);
  });
  try {
    await Promise.race([client.$queryRaw`SELECT 1`, deadline]);
    return { name, problem: null };
  } catch (error) {
    return { name, problem: databaseUnavailability(error) ?? 'answered with an error' };
  } finally {
    clearTimeout(timer);
  }
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  let release = () => {};
  let pglite: EmbeddedDatabase | null = null;
  let adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  let replicaFactories: SqlMigrationAwareDriverAdapterFactory[] = [];
  let pools: pg.Pool[] = [];

  if (target.kind === 'postgres') {
    const primary = serverPool(target.url, target);
    const replicaPools = (target.replicaUrls ?? []).map((url) => serverPool(url, target));
    adapterFactory = primary.factory;
    replicaFactories = replicaPools.map((replica) => replica.factory);
    pools = [primary.pool, ...replicaPools.map((replica) => replica.pool)];
  } else {
    const opened = await (options.embedded ?? openEmbedded(target, options));
    ({ pglite, release } = opened);
    adapterFactory = pglite.adapterFactory;
  }

  const prisma = countedClient(adapterFactory);
  const statistics = pglite ? keepStatisticsFresh(pglite) : null;
  const replicaClients = replicaFactories.map(countedClient);
  const replicas = target.kind === 'postgres' ? (target.replicaUrls ?? []).map(serverName) : [];
  // The extension picks a replica at random; its `$primary()` is `prisma` itself.
  const routed = replicaClients.length > 0 ? prisma.$extends(readReplicas({ replicas: replicaClients })) : null;
  const check = (deadlineMs: number) =>
    Promise.all([
      answers(prisma, 'the primary database', deadlineMs),
      ...replicaClients.map((replica, i) => answers(replica, `read replica ${i + 1} of ${replicas.length}`, deadlineMs)),
    ]);
  return {
    target,
    prisma,
    // `$replica()` is typed as the extended client but returns one of `replicaClients`.
    reader: () => (routed ? (routed.$replica() as unknown as PrismaClient) : prisma),
    replicas,
    adapterFactory,
    pglite,
    check,
    pools: () => pools.map((pool, i) => poolFigures(i === 0 ? 'primary' : `replica ${i}`, pool)),
    async close() {
      await statistics?.stop();
      await Promise.all([prisma.$disconnect(), ...replicaClients.map((replica) => replica.$disconnect())]);
      await Promise.all(pools.map((pool) => pool.end()));
      await pglite?.close();
      release();
    },
  };
}
