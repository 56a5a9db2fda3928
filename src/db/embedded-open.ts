// Opening the embedded database: its data directory's lock, its owner-only files, its thread.
// Light on imports, so that the server starts the database's thread before loading the rest of
// itself (src/server.ts): the thread opens (or creates) the database while this one loads and
// builds the GraphQL schema.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseTarget } from '../config.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';
import { lockDataDirectory, type DataDirectoryLock } from './lock.js';
import { ownerOnly } from './private-files.js';

export interface OpenedEmbedded {
  pglite: EmbeddedDatabase;
  /** Ends this process's claims on the data directory (umask, lock), once the database is closed. */
  release(): void;
}

export interface EmbeddedOpenOptions {
  /** Start an in-memory PGlite from a `dumpDataDir()` archive instead of empty. */
  loadDataDir?: Blob;
  /** A data directory that does not exist yet is created from the `dumpDataDir()` archive (a file) this names, if any. */
  newFrom?: () => string | null;
}

/** True when `dataDir` holds no database yet (PGlite then creates one). */
export const isNewDataDirectory = (dataDir: string) => !existsSync(join(dataDir, 'PG_VERSION'));

export async function openEmbedded(target: Exclude<DatabaseTarget, { kind: 'postgres' }>, options: EmbeddedOpenOptions = {}): Promise<OpenedEmbedded> {
  let lock: DataDirectoryLock | null = null;
  let endOwnerOnly = () => {};
  if (target.kind === 'pglite') lock = lockDataDirectory(target.dataDir);
  try {
    if (target.kind === 'pglite') endOwnerOnly = ownerOnly(target.dataDir);
    const newFrom = target.kind === 'pglite' && options.newFrom && isNewDataDirectory(target.dataDir) ? (options.newFrom() ?? undefined) : undefined;
    const pglite = await startEmbeddedDatabase({
      dataDir: target.kind === 'pglite' ? target.dataDir : undefined,
      loadDataDir: options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined,
      loadDataDirFile: newFrom,
    });
    return {
      pglite,
      release() {
        endOwnerOnly();
        lock?.release();
      },
    };
  } catch (error) {
    endOwnerOnly();
    lock?.release();
    throw error;
  }
}
