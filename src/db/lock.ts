// PGlite serves one process: two processes writing one data directory silently lose writes.
// The process that opens an embedded database therefore holds `<dataDir>.lock`, and any other
// process stops at once with a message naming the holder. A lock left by a process that died
// (kill -9) is detected by its pid no longer running and taken over.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';

interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  since: string;
}

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database ${dataDir} is in use by process ${holder.pid} ` +
        `("${holder.command}", since ${holder.since}). PGlite serves one process at a time: ` +
        `stop that process, or use a PostgreSQL server (DATABASE_URL=postgres://...) to share data.`,
    );
    this.name = 'DatabaseLockedError';
  }
}

export interface DataDirectoryLock {
  readonly path: string;
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return null; // vanished or half-written: treat as free
  }
}

export function lockDataDirectory(dataDir: string): DataDirectoryLock {
  const absolute = resolve(dataDir);
  const path = `${absolute}.lock`;
  mkdirSync(dirname(absolute), { recursive: true });
  const me: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    command: process.argv.slice(1).join(' '),
    since: new Date().toISOString(),
  };

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      const release = () => {
        process.off('exit', release);
        if (readHolder(path)?.pid === process.pid) unlinkSync(path);
      };
      process.on('exit', release);
      return { path, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      // A holder on another host (shared disk) cannot be checked: respect its lock.
      if (holder && (holder.hostname !== me.hostname || isRunning(holder.pid))) {
        throw new DatabaseLockedError(dataDir, holder);
      }
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}: another process keeps taking the lock ${path}`);
}
