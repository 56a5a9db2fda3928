// `npm run bench`: the gateway under load on synthetic data, beside its floor and its peer.
//
// For each dataset (PostgreSQL at each --sizes, PGlite at each --pglite-sizes) it starts the
// gateway as its own process on loopback, counts the SQL statements of each operation of
// ./operations.ts once (REPORT_SQL_STATEMENTS), restarts it as in production and drives each
// operation with autocannon for --duration seconds, then the floor (./floor.ts: the nested page fetched with
// Prisma and with one SQL statement, no GraphQL) and, on PostgreSQL, PostGraphile v5 serving the
// same database (./peer.ts). It prints and writes docs/benchmark.md and docs/benchmark.json.
//
//   npm run bench                                     # 10k, 100k, 1M on PostgreSQL; 10k, 100k on PGlite
//   npm run bench -- --sizes 10000 --pglite-sizes '' --duration 5
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { GATEWAY_LISTENING, LOAD_TEST_ENV, postGraphQL, startServerProcess } from '../lib/server-process.js';
import { loadConfig } from '../../src/config.js';
import { measureBreakdown, type Breakdown } from './breakdown.js';
import { compact, prepareDataset, type Dataset } from './datasets.js';
import { nestedPage, operations, type Operation } from './operations.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    'pglite-sizes': { type: 'string', default: '10000,100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    server: { type: 'string', default: process.env.BENCH_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
    out: { type: 'string', default: 'docs/benchmark' },
    /** `off` skips PostGraphile. */
    peer: { type: 'string', default: 'on' },
    /** PostgreSQL pool sizes to compare on the first PostgreSQL dataset ('' skips). */
    'pool-sizes': { type: 'string', default: '1,4,10,20' },
  },
});
const sizes = (list: string) => list.split(',').filter(Boolean).map(Number);
const duration = Number(args.duration);
const connections = Number(args.connections);

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx answers, socket errors, timeouts and answers carrying GraphQL `errors`. */
  errors: number;
}
interface OperationResult extends Measured {
  name: string;
  sqlStatements: number | null;
}
interface DatasetResult {
  label: string;
  engine: Dataset['engine'];
  figures: number;
  builtInSeconds: number | null;
  gatewayRssMb: number;
  operations: OperationResult[];
  /** SQL statements for the nested page at 10 and at 50 incidents per page. */
  nestedStatements: { first10: number; first50: number };
  floor: { prisma: Measured; sql: Measured };
  peer: Measured | null;
  /** The nested page again with the response cache on (RESPONSE_CACHE_TTL_MS): repeated reads. */
  cachedNested: Measured;
  /** The nested page one request at a time in process, by layer. */
  breakdown: Breakdown;
  /** Per DATABASE_POOL_SIZE: the operations of POOL_OPERATIONS under load. */
  pools: { poolSize: number; operations: (Measured & { name: string })[] }[];
}

const POOL_OPERATIONS = ['nested page', 'node lookup', 'write'];

/** The same operations with other pool sizes: how many connections one instance can use. */
async function measurePools(dataset: Dataset): Promise<DatasetResult['pools']> {
  const pools: DatasetResult['pools'] = [];
  for (const poolSize of sizes(args['pool-sizes'])) {
    const gateway = await startServerProcess(
      'src/server.ts',
      { ...LOAD_TEST_ENV, DATABASE_URL: dataset.databaseUrl, REPORT_SQL_STATEMENTS: 'false', DATABASE_POOL_SIZE: String(poolSize) },
      GATEWAY_LISTENING,
    );
    try {
      const measured = [];
      for (const operation of operations.filter((o) => POOL_OPERATIONS.includes(o.name))) {
        measured.push({ name: operation.name, ...(await loadOperation(gateway.url, operation, dataset)) });
      }
      pools.push({ poolSize, operations: measured });
      console.log(`  pool ${poolSize}: ${measured.map((m) => `${m.name} ${m.rps} req/s p99 ${m.p99} ms`).join(', ')}`);
    } finally {
      await gateway.stop();
    }
  }
  return pools;
}

/** Drives one request shape (or a fresh body per request) for `duration` seconds. */
async function load(
  url: string,
  request: { path: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: () => string; fixedBody?: string },
): Promise<Measured> {
  let errors = 0;
  const result = await autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method: request.method ?? 'POST',
        path: request.path,
        headers: { 'content-type': 'application/json', ...request.headers },
        body: request.fixedBody,
        ...(request.body ? { setupRequest: (r: autocannon.Request) => ({ ...r, body: request.body!() }) } : {}),
        onResponse: (status: number, body: string) => {
          if (status < 200 || status > 299 || body.includes('"errors":[') || body.includes('"message":')) errors++;
        },
      },
    ],
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: errors + result.errors + result.timeouts + result.non2xx,
  };
}

/** One operation under load; a write sends a new statement (own externalId) every time. */
function loadOperation(url: string, operation: Operation, dataset: Dataset): Promise<Measured> {
  let sequence = 0;
  return load(url, {
    path: '/graphql',
    headers: operation.write ? { authorization: `Bearer ${dataset.secret}` } : undefined,
    ...(operation.write
      ? { body: () => JSON.stringify(operation.body(dataset.fixture, ++sequence)) }
      : { fixedBody: JSON.stringify(operation.body(dataset.fixture, 0)) }),
  });
}

/** SQL statements per operation, from a gateway that reports them (REPORT_SQL_STATEMENTS). */
async function countStatements(dataset: Dataset) {
  const gateway = await startServerProcess(
    'src/server.ts',
    { ...LOAD_TEST_ENV, DATABASE_URL: dataset.databaseUrl, REPORT_SQL_STATEMENTS: 'true' },
    GATEWAY_LISTENING,
  );
  try {
    const perOperation = new Map<string, number | null>();
    for (const operation of operations) {
      // Each operation must succeed before it is measured.
      const probe = await postGraphQL(gateway.url, operation.body(dataset.fixture, 0), dataset.secret);
      if (probe.errors) throw new Error(`${operation.name} failed on ${dataset.label}: ${probe.errors[0]!.message}`);
      perOperation.set(operation.name, probe.extensions?.sqlStatements ?? null);
    }
    const nested = async (first: number) => (await postGraphQL(gateway.url, { query: nestedPage(first) })).extensions?.sqlStatements ?? -1;
    return { perOperation, nestedStatements: { first10: await nested(10), first50: await nested(50) } };
  } finally {
    await gateway.stop();
  }
}

/** Each operation under load, on a gateway configured as in production (no statement reports). */
async function measureGateway(dataset: Dataset, statements: Map<string, number | null>) {
  const gateway = await startServerProcess(
    'src/server.ts',
    { ...LOAD_TEST_ENV, DATABASE_URL: dataset.databaseUrl, REPORT_SQL_STATEMENTS: 'false' },
    GATEWAY_LISTENING,
  );
  try {
    const results: OperationResult[] = [];
    for (const operation of operations) {
      const measured = await loadOperation(gateway.url, operation, dataset);
      const sqlStatements = statements.get(operation.name) ?? null;
      results.push({ name: operation.name, sqlStatements, ...measured });
      console.log(
        `  ${operation.name.padEnd(18)} ${String(measured.rps).padStart(6)} req/s  p50 ${measured.p50} ms  p99 ${measured.p99} ms  SQL ${sqlStatements}  errors ${measured.errors}`,
      );
    }
    return { operations: results, gatewayRssMb: Math.round(gateway.rssMb()) };
  } finally {
    await gateway.stop();
  }
}

async function measureDataset(dataset: Dataset): Promise<DatasetResult> {
  console.log(`\n${dataset.label}: gateway`);
  const { perOperation, nestedStatements } = await countStatements(dataset);
  const measured = { ...(await measureGateway(dataset, perOperation)), nestedStatements };

  // The embedded database serves one process: each server below starts after the last stopped.
  const cachedNested = await (async () => {
    const gateway = await startServerProcess(
      'src/server.ts',
      { ...LOAD_TEST_ENV, DATABASE_URL: dataset.databaseUrl, REPORT_SQL_STATEMENTS: 'false', RESPONSE_CACHE_TTL_MS: '60000' },
      GATEWAY_LISTENING,
    );
    try {
      return await loadOperation(gateway.url, operations.find((o) => o.name === 'nested page')!, dataset);
    } finally {
      await gateway.stop();
    }
  })();
  console.log(`  nested page, response cache on: ${cachedNested.rps} req/s (p99 ${cachedNested.p99} ms, errors ${cachedNested.errors})`);

  const floorServer = await startServerProcess('scripts/bench/floor.ts', { DATABASE_URL: dataset.databaseUrl }, /floor listening on 127\.0\.0\.1:(\d+)/);
  const floor = await (async () => ({
    prisma: await load(floorServer.url, { path: '/prisma', method: 'GET' }),
    sql: await load(floorServer.url, { path: '/sql', method: 'GET' }),
  }))().finally(() => floorServer.stop());
  console.log(
    `  floor: Prisma ${floor.prisma.rps} req/s (p99 ${floor.prisma.p99} ms, errors ${floor.prisma.errors}), SQL ${floor.sql.rps} req/s (p99 ${floor.sql.p99} ms, errors ${floor.sql.errors})`,
  );

  let peer: Measured | null = null;
  if (dataset.engine === 'PostgreSQL' && args.peer !== 'off') {
    const { POSTGRAPHILE_NESTED_PAGE } = await import('./postgraphile.js');
    const peerServer = await startServerProcess(
      'scripts/bench/peer.ts',
      { DATABASE_URL: dataset.databaseUrl, GRAPHILE_ENV: 'production' },
      /peer listening on 127\.0\.0\.1:(\d+)/,
    );
    try {
      const probe = await postGraphQL(peerServer.url, { query: POSTGRAPHILE_NESTED_PAGE });
      if (probe.errors) throw new Error(`PostGraphile's nested page failed: ${probe.errors[0]!.message}`);
      peer = await load(peerServer.url, { path: '/graphql', fixedBody: JSON.stringify({ query: POSTGRAPHILE_NESTED_PAGE }) });
    } finally {
      await peerServer.stop();
    }
    console.log(`  PostGraphile: ${peer.rps} req/s (p99 ${peer.p99} ms, errors ${peer.errors})`);
  }
  const pools = dataset.engine === 'PostgreSQL' && dataset.figures === sizes(args.sizes)[0] ? await measurePools(dataset) : [];
  const breakdown = await measureBreakdown(
    loadConfig({ ...process.env, ...LOAD_TEST_ENV, DATABASE_URL: dataset.databaseUrl, REPORT_SQL_STATEMENTS: 'false', LOG_LEVEL: 'silent' }),
  );
  console.log(`  breakdown (ms per request, one at a time): ${JSON.stringify(breakdown)}`);
  return {
    label: dataset.label,
    engine: dataset.engine,
    figures: dataset.figures,
    builtInSeconds: dataset.builtInSeconds,
    ...measured,
    floor,
    peer,
    cachedNested,
    breakdown,
    pools,
  };
}

// ---------------------------------------------------------------------------------------
// Report

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : NaN);
const verdict = (met: boolean) => (met ? 'met' : '**missed**');

function report(results: DatasetResult[]) {
  const lines: string[] = [];
  const row = (...cells: (string | number | null)[]) => lines.push(`| ${cells.map((c) => c ?? '–').join(' | ')} |`);
  lines.push(
    `Command: \`npm run bench -- --sizes ${args.sizes} --pglite-sizes '${args['pglite-sizes']}' --duration ${duration} --connections ${connections}\``,
  );
  lines.push(
    `Run ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}; autocannon on loopback, ${connections} connections, ${duration} s per row. Timings on this shared machine are only comparable within one run.`,
  );
  lines.push('', '### Operations', '');
  row('dataset', 'operation', 'req/s', 'p50 ms', 'p99 ms', 'SQL statements / request', 'errors');
  row('---', '---', '---:', '---:', '---:', '---:', '---:');
  for (const r of results) for (const o of r.operations) row(r.label, o.name, o.rps, o.p50, o.p99, o.sqlStatements, o.errors);

  lines.push('', '### Nested page: gateway, floor and peer', '');
  row(
    'dataset',
    'gateway req/s',
    'Prisma floor req/s',
    'SQL floor req/s',
    'PostGraphile req/s',
    'overhead vs SQL (floor ÷ gateway)',
    'overhead vs Prisma',
    'gateway ÷ PostGraphile',
    'gateway p99 / PostGraphile p99 ms',
    'gateway with response cache req/s (p99 ms)',
  );
  row('---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:');
  for (const r of results) {
    const nested = r.operations.find((o) => o.name === 'nested page')!;
    row(
      r.label,
      nested.rps,
      r.floor.prisma.rps,
      r.floor.sql.rps,
      r.peer?.rps ?? null,
      ratio(r.floor.sql.rps, nested.rps),
      ratio(r.floor.prisma.rps, nested.rps),
      r.peer ? ratio(nested.rps, r.peer.rps) : null,
      r.peer ? `${nested.p99} / ${r.peer.p99}` : null,
      `${r.cachedNested.rps} (${r.cachedNested.p99})`,
    );
  }

  const growth: { engine: string; from: DatasetResult; to: DatasetResult }[] = [];
  for (const engine of ['PostgreSQL', 'PGlite'] as const) {
    const runs = results.filter((r) => r.engine === engine).sort((a, b) => a.figures - b.figures);
    if (runs.length > 1) growth.push({ engine, from: runs[0]!, to: runs.at(-1)! });
  }
  if (growth.length > 0) {
    lines.push('', '### Growth: p99 at the largest size ÷ p99 at the smallest', '');
    row('engine', 'sizes', ...operations.map((o) => o.name));
    row('---', '---', ...operations.map(() => '---:'));
    for (const g of growth) {
      row(
        g.engine,
        `${compact(g.from.figures)} → ${compact(g.to.figures)}`,
        ...operations.map((o) => ratio(g.to.operations.find((x) => x.name === o.name)!.p99, g.from.operations.find((x) => x.name === o.name)!.p99)),
      );
    }
  }

  if (results.length > 0) {
    lines.push('', "### Where the nested page's time goes: ms per request, one at a time, in process (median)", '');
    row(
      'dataset',
      'HTTP handler (yoga.fetch)',
      'GraphQL execution',
      'the Prisma query Pothos builds',
      'floor: Prisma',
      'floor: one SQL statement',
      'HTTP handler: gateway thread busy',
      'HTTP handler: process CPU (PGlite: with its thread)',
    );
    row('---', '---:', '---:', '---:', '---:', '---:', '---:', '---:');
    for (const r of results) {
      const b = r.breakdown;
      row(r.label, b.httpHandler, b.graphqlExecution, b.gatewayPrismaQuery, b.floorPrisma, b.floorSql, b.gatewayThreadBusy, b.processCpu);
    }
  }

  const pooled = results.find((r) => r.pools.length > 0);
  if (pooled) {
    lines.push('', `### PostgreSQL pool size (DATABASE_POOL_SIZE), ${pooled.label}: req/s and p99 ms`, '');
    row('pool', ...POOL_OPERATIONS.map((name) => `${name} req/s (p99 ms)`));
    row('---:', ...POOL_OPERATIONS.map(() => '---:'));
    for (const pool of pooled.pools)
      row(
        pool.poolSize,
        ...POOL_OPERATIONS.map((name) => {
          const m = pool.operations.find((o) => o.name === name)!;
          return `${m.rps} (${m.p99})`;
        }),
      );
  }

  lines.push('', '### Targets', '');
  row('target', 'result', 'verdict');
  row('---', '---', '---');
  for (const r of results) {
    const { first10, first50 } = r.nestedStatements;
    row(`${r.label}: SQL statements independent of page size`, `${first10} at 10 per page, ${first50} at 50`, verdict(first10 === first50));
  }
  for (const r of results) {
    const nested = r.operations.find((o) => o.name === 'nested page')!;
    const overhead = ratio(r.floor.sql.rps, nested.rps);
    row(`${r.label}: overhead ≤ 1.5× direct SQL (nested page)`, `${overhead}×`, verdict(overhead <= 1.5));
    if (r.peer) {
      const vsPeer = ratio(nested.rps, r.peer.rps);
      row(`${r.label}: ≥ 1.2× PostGraphile's throughput (nested page)`, `${vsPeer}×`, verdict(vsPeer >= 1.2));
    }
  }
  for (const g of growth) {
    const worst = Math.max(
      ...operations.map((o: Operation) => ratio(g.to.operations.find((x) => x.name === o.name)!.p99, g.from.operations.find((x) => x.name === o.name)!.p99)),
    );
    row(`${g.engine}: p99 growth ${compact(g.from.figures)} → ${compact(g.to.figures)} ≤ 1.5× (worst operation)`, `${worst}×`, verdict(worst <= 1.5));
  }
  // Every row measured through the gateway, the response-cached one too.
  const errors = results.flatMap((r) => [...r.operations, r.cachedNested]).reduce((sum, o) => sum + o.errors, 0);
  row('no errors under load', `${errors} errors`, verdict(errors === 0));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------

const plan: [Dataset['engine'], number][] = [
  ...sizes(args.sizes).map((n) => ['PostgreSQL', n] as [Dataset['engine'], number]),
  ...sizes(args['pglite-sizes']).map((n) => ['PGlite', n] as [Dataset['engine'], number]),
];
const results: DatasetResult[] = [];
for (const [engine, figures] of plan) {
  console.log(`\nPreparing ${engine} ${compact(figures)} ...`);
  const dataset = await prepareDataset(engine, figures, args.server);
  if (dataset.builtInSeconds !== null) console.log(`  built in ${dataset.builtInSeconds.toFixed(1)} s`);
  results.push(await measureDataset(dataset));
}
const markdown = report(results);
console.log(`\n${markdown}`);
writeFileSync(`${args.out}.md`, `${markdown}\n`);
writeFileSync(`${args.out}.json`, `${JSON.stringify({ runAt: new Date().toISOString(), duration, connections, results }, null, 2)}\n`);
console.log(`\nWritten ${args.out}.md and ${args.out}.json`);
