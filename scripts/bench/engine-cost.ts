// What one nested page costs each database engine: the compiled statement the gateway sends
// (src/reads/compile.ts) run as it is, on the PostgreSQL server and on PGlite holding the same
// dataset, alternated in rounds. "executor" is EXPLAIN ANALYZE's execution time (its nodes not
// timed), the work inside PostgreSQL; "call" adds the protocol and, for PGlite, its JavaScript
// message parsing. It explains the ceiling of the embedded default under concurrency: PGlite is
// one backend on one thread, the server runs one backend per connection on every core.
//
//   tsx scripts/bench/engine-cost.ts --server postgresql://postgres@127.0.0.1:5432/bench_10000 --pglite data/bench/pglite-10000
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptOptions } from '../lib/script-options.js';
import { PGlite } from '@electric-sql/pglite';
import { parse } from 'graphql';
import pg from 'pg';
import { COUNT_EXACT_LIMIT } from '../../src/config.js';
import { compileRead } from '../../src/reads/compile.js';
import { TWINS } from '../../src/reads/twins.js';
import { schema } from '../../src/schema/index.js';
import { sortedTimes } from './breakdown.js';
import { nestedPage } from './operations.js';

const args = scriptOptions('tsx scripts/bench/engine-cost.ts --server <url> --pglite <dir>: one nested page on each engine, the compiled statement alone.', {
  server: { type: 'string', required: true, description: 'the dataset on the PostgreSQL server (postgresql:// URL)' },
  pglite: { type: 'string', required: true, description: 'the same dataset as a PGlite data directory (copied, never opened in place)' },
  runs: { type: 'string', default: '30', description: 'statements per round and engine' },
  rounds: { type: 'string', default: '3', description: 'alternated rounds' },
});
const runs = Number(args.runs);

const plan = compileRead(schema, TWINS, { document: parse(nestedPage(50)), variables: {}, countExactLimit: COUNT_EXACT_LIMIT });
if (!plan) throw new Error('the nested page did not compile');
const text = plan.text; // with $1…$n, as both clients take it
const values = plan.values as unknown[];

// A copy, so that the dataset's directory is never opened by two processes nor changed.
const copy = mkdtempSync(join(tmpdir(), 'engine-cost-'));
cpSync(args.pglite, copy, { recursive: true });
const embedded = new PGlite({ dataDir: copy });
const server = new pg.Client({ connectionString: args.server });
await server.connect();

type Run = (sql: string) => Promise<Record<string, unknown>[]>;
const engines: [string, Run][] = [
  ['server', async (sql) => (await server.query(sql, values)).rows],
  ['PGlite', async (sql) => (await embedded.query<Record<string, unknown>>(sql, values)).rows],
];
const median = (times: number[]) => times[Math.floor(times.length / 2)]!;
try {
  for (let round = 1; round <= Number(args.rounds); round++) {
    const measured: Record<string, { call: number; executor: number }> = {};
    for (const [name, run] of engines) {
      const call = median(await sortedTimes(() => run(text), runs));
      const executorTimes: number[] = [];
      for (let i = 0; i < runs; i++) {
        // TIMING OFF: timing every node reads the clock twice per row, and in PGlite each read is a
        // call out of Wasm into JavaScript: it added a third to a half to PGlite's executor time.
        const [row] = await run(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${text}`);
        const planned = row!['QUERY PLAN'];
        executorTimes.push((typeof planned === 'string' ? JSON.parse(planned) : planned)[0]['Execution Time']);
      }
      measured[name] = { call, executor: median(executorTimes.sort((a, b) => a - b)) };
    }
    const { server: s, PGlite: l } = measured as Record<'server' | 'PGlite', { call: number; executor: number }>;
    console.log(
      `round ${round}: executor server ${s.executor.toFixed(2)} ms, PGlite ${l.executor.toFixed(2)} ms (${(l.executor / s.executor).toFixed(2)}x); ` +
        `call server ${s.call.toFixed(2)} ms, PGlite ${l.call.toFixed(2)} ms (${(l.call / s.call).toFixed(2)}x)`,
    );
  }
} finally {
  await server.end();
  await embedded.close();
  rmSync(copy, { recursive: true, force: true });
}
