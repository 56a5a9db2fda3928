// The embedded database's own thread: PGlite runs PostgreSQL as Wasm on the thread that calls
// it, so here it runs beside the gateway's thread instead of taking turns with GraphQL on it.
// It answers ./embedded.ts with the Prisma driver adapter the project uses for PGlite: what
// crosses between the threads is the adapter's own contract (SQL and arguments in, rows out).
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { withPreparedStatements } from './embedded-statements.js';
import { runScriptsWhole } from './schema-engine.js';
import type { EmbeddedReply, EmbeddedRequest, EmbeddedStart, SerializedError } from './embedded.js';

const port = parentPort!;
const start = workerData as EmbeddedStart;

function serialized(error: unknown): SerializedError {
  const e = error as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } | null;
  // Prisma reads a database error from the DriverAdapterError's cause, a plain object.
  if (e?.name === 'DriverAdapterError' && typeof e.cause === 'object') return { driverAdapterError: e.cause as object };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}

try {
  const dump = start.loadDataDir ?? (start.loadDataDirFile ? await readFile(start.loadDataDirFile) : undefined);
  const pglite = new PGlite({ dataDir: start.dataDir, loadDataDir: dump ? new Blob([dump]) : undefined });
  await pglite.waitReady;
  // The backend's first statement costs ~0.5 s (catalog caches): paid here, while the gateway's
  // thread still builds its schema, rather than by the start's first query.
  await pglite.query('SELECT 1');
  // Prisma's statements are kept prepared (./embedded-statements.ts); a script drops them.
  const client = withPreparedStatements(pglite);
  const adapter = runScriptsWhole(await new PrismaPGlite(client).connect());
  const transactions = new Map<number, Transaction>();
  let lastTransaction = 0;
  const transaction = (id: number) => {
    const open = transactions.get(id);
    if (!open) throw new Error(`transaction ${id} is not open`);
    return open;
  };

  const answer = async (request: EmbeddedRequest): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> => {
    switch (request.op) {
      case 'queryRaw':
        return { value: await (request.tx ? transaction(request.tx) : adapter).queryRaw(request.query) };
      case 'executeRaw':
        return { value: await (request.tx ? transaction(request.tx) : adapter).executeRaw(request.query) };
      case 'executeScript':
        return { value: await adapter.executeScript(request.script) };
      case 'startTransaction': {
        const open = await adapter.startTransaction(request.isolationLevel);
        transactions.set(++lastTransaction, open);
        return { value: { tx: lastTransaction, options: open.options } };
      }
      case 'commit':
      case 'rollback': {
        const open = transaction(request.tx);
        transactions.delete(request.tx);
        return { value: await (request.op === 'commit' ? open.commit() : open.rollback()) };
      }
      case 'exec':
        await client.exec(request.sql);
        return { value: undefined };
      case 'query':
        return { value: (await pglite.query(request.sql)).rows };
      case 'dumpDataDir': {
        const archive = await (await pglite.dumpDataDir(request.compression)).arrayBuffer();
        return { value: archive, transfer: [archive] };
      }
      case 'close':
        await pglite.close();
        return { value: undefined };
    }
  };

  port.on('message', (request: EmbeddedRequest) => {
    answer(request).then(
      ({ value, transfer }) => port.postMessage({ id: request.id, value } satisfies EmbeddedReply, transfer),
      (error: unknown) => port.postMessage({ id: request.id, error: serialized(error) } satisfies EmbeddedReply),
    );
  });
  port.postMessage({ id: 0, value: 'ready' } satisfies EmbeddedReply);
} catch (error) {
  port.postMessage({ id: 0, error: serialized(error) } satisfies EmbeddedReply);
}
