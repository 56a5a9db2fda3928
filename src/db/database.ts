// The database and nothing else: an embedded PGlite (locked to this process) or a PostgreSQL
// server pool, with one generated Prisma client over either through its driver adapter.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseTarget } from '../config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDirectory, type DataDirectoryLock } from './lock.js';
import { countingAdapterFactory } from './sql-statements.js';

export interface Database {
  readonly target: DatabaseTarget;
  readonly prisma: PrismaClient;
  /** The raw adapter factory, for the schema engine (migrations). */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The embedded instance, when there is one (tests dump it as a template). */
  readonly pglite: PGlite | null;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Start an in-memory PGlite from a `dumpDataDir()` archive instead of empty. */
  loadDataDir?: Blob;
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  let lock: DataDirectoryLock | null = null;
  let pglite: PGlite | null = null;
  let adapterFactory: SqlMigrationAwareDriverAdapterFactory;

  if (target.kind === 'postgres') {
    // Fail fast when the server is unreachable: pg waits forever for a connection by default, so
    // a blackholed server hung /ready and every request (test/faults-database-outage.test.ts).
    // The same limit bounds the wait for a free pool connection under load. TCP keep-alive
    // notices a connection the network dropped.
    adapterFactory = new PrismaPg({ connectionString: target.url, max: target.poolSize, connectionTimeoutMillis: 1_500, keepAlive: true });
  } else {
    if (target.kind === 'pglite') lock = lockDataDirectory(target.dataDir);
    try {
      pglite = new PGlite({
        dataDir: target.kind === 'pglite' ? target.dataDir : undefined,
        loadDataDir: options.loadDataDir,
      });
      await pglite.waitReady;
    } catch (error) {
      lock?.release();
      throw error;
    }
    adapterFactory = new PrismaPGlite(pglite);
  }

  const prisma = new PrismaClient({ adapter: countingAdapterFactory(adapterFactory) });
  return {
    target,
    prisma,
    adapterFactory,
    pglite,
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    async close() {
      await prisma.$disconnect();
      await pglite?.close();
      lock?.release();
    },
  };
}
