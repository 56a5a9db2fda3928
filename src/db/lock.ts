// PGlite serves one process: two processes writing one data directory silently lose writes.
// The process that opens an embedded database therefore holds `<dataDir>.lock` (the data
// directory's real path, symlinks resolved, so two names for one directory share one lock), and
// any other process stops at once with a message naming the holder and how to recover.
//
// Taking the lock is atomic: the holder's record is written to a file of its own and hard-linked
// into place, which fails if a lock exists, so no one ever reads a half-written lock. Whether a
// lock is stale is decided, never guessed:
// - on the same host, by the holder's pid, its process start time (a recycled pid belongs to a
//   process that started later) and the boot id (a reboot ends every holder);
// - on another host sharing the disk (a re-created container has a new hostname), by the
//   heartbeat: the holder refreshes the lock's time every HEARTBEAT_MS from a worker thread
//   (PGlite's queries block the main thread), and a lock not refreshed for STALE_AFTER_MS is
//   stale.
// Breaking a stale lock happens under `<lock>.break` (an atomic mkdir), after reading the lock
// again: of many processes that find the same stale lock, exactly one takes it over.
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, realpathSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

export const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_MS = 60_000;
/** A breaker that died mid-break leaves `<lock>.break`; after this long it no longer counts. */
const BREAKER_GONE_AFTER_MS = 10_000;

export interface LockHolder {
  pid: number;
  hostname: string;
  /** The kernel's boot id (Linux), so a lock from before a reboot is known to be stale. */
  bootId: string | null;
  /** The holder's process start time in clock ticks since boot (Linux), so a recycled pid is told apart. */
  processStart: string | null;
  command: string;
  since: string;
}

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
    readonly lockPath: string,
    where: 'this host' | 'another host',
  ) {
    super(
      where === 'this host'
        ? `The embedded database ${dataDir} is in use by process ${holder.pid} on this host (${holder.hostname}) ` +
            `("${holder.command}", since ${holder.since}). PGlite serves one process at a time: ` +
            `stop that process, or use a PostgreSQL server (DATABASE_URL=postgres://...) to share data.`
        : `The embedded database ${dataDir} is in use by process ${holder.pid} on host "${holder.hostname}" ` +
            `("${holder.command}", since ${holder.since}); this is host "${hostname()}". That process still ` +
            `refreshed its lock ${lockPath} in the last ${STALE_AFTER_MS / 1000} s. If host "${holder.hostname}" is gone ` +
            `(a container that was re-created), the lock is taken over once it is ${STALE_AFTER_MS / 1000} s old, or ` +
            `remove ${lockPath} now; if it still runs, stop the gateway there first.`,
    );
    this.name = 'DatabaseLockedError';
  }
}

export interface DataDirectoryLock {
  readonly path: string;
  release(): void;
}

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

const bootId = (): string | null => readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), null);

/** Field 22 of /proc/<pid>/stat, counted after the command name (which may hold spaces and parentheses). */
function processStart(pid: number): string | null {
  return readOr(() => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  }, null);
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

/** The lock's text and holder, or null when there is none (or it is not a lock this code wrote). */
function readLock(path: string): { text: string; holder: LockHolder | null; ageMs: number } | null {
  try {
    const text = readFileSync(path, 'utf8');
    const ageMs = Date.now() - statSync(path).mtimeMs;
    const holder = readOr(() => JSON.parse(text) as LockHolder, null);
    return { text, holder: holder && typeof holder.pid === 'number' ? holder : null, ageMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

type Verdict = 'held here' | 'held elsewhere' | 'stale';

function judge(lock: { holder: LockHolder | null; ageMs: number }): Verdict {
  const { holder, ageMs } = lock;
  // Not a record this code writes (it never leaves one half-written): stale once nobody refreshes it.
  if (!holder) return ageMs > STALE_AFTER_MS ? 'stale' : 'held elsewhere';
  if (holder.hostname !== hostname()) return ageMs > STALE_AFTER_MS ? 'stale' : 'held elsewhere';
  if (holder.bootId && bootId() && holder.bootId !== bootId()) return 'stale';
  if (!isRunning(holder.pid)) return 'stale';
  const start = processStart(holder.pid);
  if (holder.processStart && start && holder.processStart !== start) return 'stale'; // the pid was recycled
  return 'held here';
}

/** Creates `path` holding `text`, atomically: fails with EEXIST when it exists. */
function createWhole(path: string, text: string): void {
  const staging = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  const fd = openSync(staging, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(staging, path);
  } finally {
    unlinkSync(staging);
  }
}

/** Removes the stale lock whose text is `stale`, if it is still that one; false when another breaker is at it. */
function breakStale(path: string, stale: string): boolean {
  const breaker = `${path}.break`;
  try {
    mkdirSync(breaker);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (readOr(() => Date.now() - statSync(breaker).mtimeMs, 0) > BREAKER_GONE_AFTER_MS) readOr(() => rmdirSync(breaker), undefined);
    return false;
  }
  try {
    if (readLock(path)?.text === stale) unlinkSync(path);
    return true;
  } finally {
    rmdirSync(breaker);
  }
}

/** Refreshes the lock's time from a thread of its own, whatever keeps the main thread busy. */
function heartbeat(path: string): Worker {
  const worker = new Worker(
    `const { utimesSync } = require('node:fs');
     const { path, everyMs } = require('node:worker_threads').workerData;
     setInterval(() => { try { const now = new Date(); utimesSync(path, now, now); } catch {} }, everyMs);`,
    { eval: true, workerData: { path, everyMs: HEARTBEAT_MS } },
  );
  worker.unref();
  return worker;
}

/** The directory's real path (symlinks resolved), even before the directory exists. */
export function realDirectory(dataDir: string): string {
  const absolute = resolve(dataDir);
  try {
    return realpathSync(absolute);
  } catch {
    mkdirSync(dirname(absolute), { recursive: true, mode: 0o700 });
    return join(realpathSync(dirname(absolute)), basename(absolute));
  }
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export function lockDataDirectory(dataDir: string): DataDirectoryLock {
  const path = `${realDirectory(dataDir)}.lock`;
  const me: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    bootId: bootId(),
    processStart: processStart(process.pid),
    command: process.argv.slice(1).join(' '),
    since: new Date().toISOString(),
  };
  const text = JSON.stringify({ ...me, nonce: randomBytes(8).toString('hex') });

  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      createWhole(path, text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const lock = readLock(path);
      if (!lock) continue; // released meanwhile: try again
      const verdict = judge(lock);
      if (verdict !== 'stale') {
        const holder = lock.holder ?? { pid: 0, hostname: 'unknown', bootId: null, processStart: null, command: 'unknown', since: 'unknown' };
        throw new DatabaseLockedError(dataDir, holder, path, verdict === 'held here' ? 'this host' : 'another host');
      }
      if (!breakStale(path, lock.text)) pause(10 + Math.random() * 20); // another process is breaking it
      continue;
    }
    const beat = heartbeat(path);
    const release = () => {
      process.off('exit', release);
      void beat.terminate();
      if (readLock(path)?.text === text) unlinkSync(path);
    };
    process.on('exit', release);
    return { path, release };
  }
  throw new Error(`Could not lock ${dataDir}: other processes keep taking and breaking the lock ${path}`);
}
