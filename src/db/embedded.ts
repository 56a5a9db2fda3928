// The embedded database, run on a worker thread of this process (./embedded-worker.ts): PGlite's
// queries are Wasm that holds the thread calling them, so in the gateway's thread every query
// stopped GraphQL for every request (the nested page at 0.67–0.82× of a PostgreSQL server).
// Here the database uses the second core. This thread keeps what must be one per process (the
// data directory's lock, the umask); Prisma talks to the worker through a driver adapter that
// forwards each call of the adapter contract, transactions included.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from '@prisma/driver-adapter-utils';

/** What the worker opens: a data directory, or an in-memory database (from a dump, or empty). */
export interface EmbeddedStart {
  dataDir?: string;
  loadDataDir?: ArrayBuffer;
  /** A dump file the worker reads and starts from (a new data directory made from it). */
  loadDataDirFile?: string;
}

type Request =
  | { op: 'queryRaw' | 'executeRaw'; query: SqlQuery; tx?: number }
  | { op: 'executeScript'; script: string }
  | { op: 'startTransaction'; isolationLevel?: IsolationLevel }
  | { op: 'commit' | 'rollback'; tx: number }
  | { op: 'exec' | 'query'; sql: string }
  | { op: 'dumpDataDir'; compression: 'none' | 'gzip' | 'auto' }
  | { op: 'close' };
export type EmbeddedRequest = Request & { id: number };

/** An error as it crosses threads: Prisma's database errors keep their cause (code, message, …). */
export type SerializedError = { driverAdapterError: object } | { name: string; message: string; code?: string };
/** Id 0 is the worker's start: 'ready', or why it could not open the database. */
export type EmbeddedReply = { id: number; value: unknown } | { id: number; error: SerializedError };

function revived(error: SerializedError): Error {
  if ('driverAdapterError' in error) return new DriverAdapterError(error.driverAdapterError as ConstructorParameters<typeof DriverAdapterError>[0]);
  return Object.assign(new Error(error.message), { name: error.name, ...(error.code ? { code: error.code } : {}) });
}

/**
 * The worker: the compiled file beside this one, or, when this runs as TypeScript (tsx, vitest),
 * a bootstrap that registers tsx in the worker first (a worker does not inherit the loader).
 */
function newWorker(options: WorkerOptions): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./embedded-worker.js', import.meta.url), options);
  // tsx/esm/api's ESM build (its CommonJS one cannot be imported from an eval'd worker)
  const tsx = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  const entry = new URL('./embedded-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`, { ...options, eval: true });
}

export interface EmbeddedDatabase {
  /** Prisma's adapter over the worker's PGlite (the schema engine's too). */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** Calls sent to the database's thread and not answered yet (queries queued or running there). */
  inFlight(): number;
  /** Runs SQL outside Prisma (ANALYZE, CHECKPOINT). */
  exec(sql: string): Promise<void>;
  /** Rows of one statement outside Prisma, as objects. */
  query<Row>(sql: string): Promise<Row[]>;
  /** The database as a tarball (PGlite's `dumpDataDir`), for tests' templates. */
  dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<Blob>;
  close(): Promise<void>;
}

/** Starts the worker and opens the database in it; resolves once it answers. */
export async function startEmbeddedDatabase(start: EmbeddedStart): Promise<EmbeddedDatabase> {
  const worker = newWorker({ workerData: start, transferList: start.loadDataDir ? [start.loadDataDir] : [] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let lastId = 0;
  let stopped: Error | null = null;

  // The worker keeps the process alive only while a call waits for it, as an in-process
  // database would: a command that is done exits even if it did not close the database.
  const settle = (id: number, outcome: (entry: { resolve: (value: unknown) => void; reject: (error: Error) => void }) => void) => {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    outcome(entry);
  };
  const stop = (error: Error) => {
    stopped ??= error;
    for (const id of [...pending.keys()]) settle(id, (entry) => entry.reject(stopped!));
  };
  worker.on('message', (reply: EmbeddedReply) =>
    settle(reply.id, (entry) => ('error' in reply ? entry.reject(revived(reply.error)) : entry.resolve(reply.value))),
  );
  worker.on('error', (error) => stop(new Error(`The embedded database stopped: ${error.message}`)));
  worker.on('exit', (code) => stop(new Error(`The embedded database stopped (its thread exited with code ${code})`)));

  const call = <T>(request: Request): Promise<T> => {
    if (stopped) return Promise.reject(stopped);
    const id = ++lastId;
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id } satisfies EmbeddedRequest);
    });
  };

  worker.ref();
  await new Promise<void>((ready, failed) => {
    pending.set(0, { resolve: () => ready(), reject: failed });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  const provider = 'postgres' as const;
  const adapterName = 'pglite-prisma-adapter'; // the adapter that answers in the worker
  const queryable = (tx?: number) => ({
    provider,
    adapterName,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>({ op: 'queryRaw', query, tx }),
    executeRaw: (query: SqlQuery) => call<number>({ op: 'executeRaw', query, tx }),
  });
  const adapter: SqlDriverAdapter = {
    ...queryable(),
    executeScript: (script) => call<void>({ op: 'executeScript', script }),
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    async startTransaction(isolationLevel): Promise<Transaction> {
      const { tx, options } = await call<{ tx: number; options: TransactionOptions }>({ op: 'startTransaction', isolationLevel });
      return {
        ...queryable(tx),
        options,
        commit: () => call<void>({ op: 'commit', tx }),
        rollback: () => call<void>({ op: 'rollback', tx }),
      };
    },
    dispose: async () => {},
  };

  return {
    adapterFactory: {
      provider,
      adapterName,
      connect: async () => adapter,
      connectToShadowDb: () =>
        Promise.reject(new Error('The embedded database has no shadow database: migrations are made on a scratch database (npm run db:migration)')),
    },
    inFlight: () => pending.size,
    exec: (sql) => call<void>({ op: 'exec', sql }),
    query: <Row>(sql: string) => call<Row[]>({ op: 'query', sql }),
    dumpDataDir: async (compression = 'auto') => new Blob([await call<ArrayBuffer>({ op: 'dumpDataDir', compression })]),
    async close() {
      if (stopped) return;
      await call<void>({ op: 'close' });
      stop(new Error('The embedded database is closed'));
      await worker.terminate();
    },
  };
}
