// The embedded database belongs to one process at a time, and survives being killed.
import { finished, runScript, waitForLine } from './support/processes.js';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { DatabaseLockedError } from '../src/db/lock.js';
import { maintainStaleTables } from '../src/db/statistics.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runScript;

/** The permission bits of every directory and file under `dir`, itself included, by kind. */
function modes(dir: string): { directories: Set<string>; files: Set<string> } {
  const found = { directories: new Set<string>(), files: new Set<string>() };
  const walk = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      found.directories.add((stat.mode & 0o777).toString(8));
      for (const name of readdirSync(path)) walk(join(path, name));
    } else found.files.add((stat.mode & 0o777).toString(8));
  };
  walk(dir);
  return found;
}
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('an embedded (PGlite) database', () => {
  it('is held by the serving process: a second process stops at once naming the holder', async () => {
    const dataDir = join(dir, 'locked');
    const env = { DATABASE_URL: `file:${dataDir}`, PORT: '0', HOST: '127.0.0.1' };
    const server = run('src/server.ts', [], env);
    try {
      const [, port] = await waitForLine(server, /localhost:(\d+)\/graphql/);
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(ready.status).toBe(200);

      const seed = await finished(run('src/cli/db.ts', ['seed'], env));
      expect(seed.code).toBe(1);
      expect(seed.output).toContain(`in use by process ${server.pid}`);

      await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);

      // Key management still works: the command line goes through the gateway, and says so.
      const created = await finished(run('src/cli/keys.ts', ['create', '--name', 'Night desk', '--scope', 'write'], env));
      expect(created.code).toBe(0);
      expect(created.output).toContain(`held by the running gateway (process ${server.pid})`);
      const secret = created.output.match(/Secret \(shown once, store it now\): (\S+)/)![1]!;
      const write = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query: 'mutation { retractStatement(statement: "U3RhdGVtZW50Ojk5OTk5", reason: "test") { __typename } }' }),
      });
      expect((await write.json()).data.retractStatement.__typename).toBe('NotFound');
    } finally {
      server.kill('SIGTERM');
      await new Promise((exited) => server.once('exit', exited));
    }
    // A clean shutdown releases the lock: the directory opens again, with its seeded data.
    const db = await openDatabase({ kind: 'pglite', dataDir });
    expect(await db.prisma.statement.count()).toBeGreaterThan(0);
    await db.close();
  });

  it("keeps every committed row after kill -9, and takes over the dead process's lock", async () => {
    const dataDir = join(dir, 'crash');
    const writer = run('test/fixtures/write-places.ts', [], { DATABASE_URL: `file:${dataDir}` });
    const committed: number[] = [];
    await new Promise<void>((enough, failed) => {
      let output = '';
      writer.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const lines = output.split('\n');
        output = lines.pop()!; // an unfinished line waits for the next chunk
        for (const line of lines) committed.push(Number(line.replace('committed ', '')));
        if (committed.length >= 25) enough();
      });
      writer.once('exit', (code) => failed(new Error(`writer exited with ${code}`)));
    });
    writer.kill('SIGKILL');
    await new Promise((exited) => writer.once('exit', exited));

    const db = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const found = await db.prisma.place.findMany({ where: { id: { in: committed } }, select: { id: true } });
      expect(found.map((place) => place.id).sort((a, b) => a - b)).toEqual([...committed].sort((a, b) => a - b));
    } finally {
      await db.close();
    }
  });

  it("keeps its files to its owner: the directory 0700, its files, the lock and the gateway's token file 0600", async () => {
    const dataDir = join(dir, 'private');
    const env = { DATABASE_URL: `file:${dataDir}`, PORT: '0', HOST: '127.0.0.1' };
    const server = run('src/server.ts', [], env);
    try {
      await waitForLine(server, /localhost:(\d+)\/graphql/);
      // Migrated and seeded by now: the WAL and the tables' files are written.
      expect(modes(dataDir)).toEqual({ directories: new Set(['700']), files: new Set(['600']) });
      expect(modeOf(`${dataDir}.lock`)).toBe('600');
      expect(modeOf(`${dataDir}.gateway.json`)).toBe('600');
    } finally {
      server.kill('SIGTERM');
      await new Promise((exited) => server.once('exit', exited));
    }
  });

  it('restricts the files of a data directory an older version left readable, and writes new ones owner-only', async () => {
    const dataDir = join(dir, 'private'); // from the test above
    const loosen = (path: string) => {
      chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
      if (statSync(path).isDirectory()) for (const name of readdirSync(path)) loosen(join(path, name));
    };
    loosen(dataDir);
    expect(modes(dataDir)).toEqual({ directories: new Set(['755']), files: new Set(['644']) });
    const db = await openDatabase({ kind: 'pglite', dataDir });
    try {
      for (let n = 0; n < 20; n++) await db.prisma.place.create({ data: { name: `Private place ${n}`, kind: 'SITE' } });
      await db.pglite!.exec('CHECKPOINT');
      expect(modes(dataDir)).toEqual({ directories: new Set(['700']), files: new Set(['600']) });
    } finally {
      await db.close();
    }
  });
});

describe("the embedded database's planner statistics (PGlite has no autovacuum)", () => {
  it("analyses a table once it has changed by PostgreSQL's own rule (50 rows + 10 %), and only then", async () => {
    const db = await openDatabase({ kind: 'memory' });
    try {
      const pglite = db.pglite!;
      await pglite.exec('CREATE TABLE probe (id int PRIMARY KEY); INSERT INTO probe SELECT generate_series(1, 1000)');
      expect(await maintainStaleTables(pglite)).toContain('public.probe');
      const [analysed] = await pglite.query<{ reltuples: number }>(`SELECT reltuples::int AS reltuples FROM pg_class WHERE relname = 'probe'`);
      expect(analysed!.reltuples).toBe(1000);
      expect(await maintainStaleTables(pglite)).toEqual([]);
      await pglite.exec('INSERT INTO probe SELECT generate_series(1001, 1100)'); // 100 < 50 + 100
      expect(await maintainStaleTables(pglite)).toEqual([]);
      await pglite.exec('INSERT INTO probe SELECT generate_series(1101, 1200)'); // 200 > 150
      expect(await maintainStaleTables(pglite)).toEqual(['public.probe']);
    } finally {
      await db.close();
    }
  });

  it("vacuums a table once enough of its rows are dead (autovacuum's rule: 50 + 20 %), so index-only scans skip the rows", async () => {
    const db = await openDatabase({ kind: 'memory' });
    try {
      const pglite = db.pglite!;
      const vacuumed = async () => {
        await pglite.query('SELECT pg_stat_force_next_flush()');
        const [row] = await pglite.query<{ count: number; dead: number; visible: number }>(`
          SELECT s.vacuum_count::int AS count, s.n_dead_tup::int AS dead, c.relallvisible::int AS visible
          FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'probe'`);
        return row!;
      };
      await pglite.exec('CREATE TABLE probe (id int PRIMARY KEY, v int); INSERT INTO probe SELECT generate_series(1, 1000), 0');
      await maintainStaleTables(pglite);
      await pglite.exec('UPDATE probe SET v = 1 WHERE id <= 200'); // 200 dead < 50 + 200
      expect(await maintainStaleTables(pglite)).toEqual(['public.probe']); // analysed: 200 > 50 + 100 changed
      expect((await vacuumed()).count).toBe(0);
      await pglite.exec('UPDATE probe SET v = 2 WHERE id <= 100'); // 300 dead > 250
      expect(await maintainStaleTables(pglite)).toEqual(['public.probe']);
      const after = await vacuumed();
      expect(after.count).toBe(1);
      expect(after.dead).toBe(0);
      expect(after.visible).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
