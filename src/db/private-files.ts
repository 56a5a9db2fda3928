// The embedded database's files are its owner's alone, as PostgreSQL keeps its own: the data
// directory 0700, every file in it 0600 (its WAL holds statements and key names). PGlite writes
// through Node's fs with the process umask, so while an embedded database is open the process
// umask is 077; files an older version left readable are fixed when the database is opened.
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const DIRECTORY_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Every directory under `dir` (itself included) 0700, every file 0600. */
function restrict(dir: string): void {
  chmodSync(dir, DIRECTORY_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) restrict(path);
    else if (entry.isFile()) chmodSync(path, FILE_MODE);
  }
}

let openDatabases = 0;
let umaskBefore: number | null = null;

/**
 * Creates the data directory for its owner only, restricts what is already in it, and keeps the
 * process umask at 077 until every embedded database this process opened is closed. Returns
 * the function that ends this one's claim on the umask.
 */
export function ownerOnly(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: DIRECTORY_MODE });
  restrict(dataDir);
  if (openDatabases++ === 0) {
    try {
      umaskBefore = process.umask(0o077);
    } catch {
      umaskBefore = null; // worker threads may not change it: the modes set above still hold
    }
  }
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    if (--openDatabases === 0 && umaskBefore !== null) process.umask(umaskBefore);
  };
}
