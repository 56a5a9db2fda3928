// `npm run bench`: the gateway under load on synthetic data, beside its floor and its peer.
//
// For each dataset (PostgreSQL at each --sizes, PGlite at each --pglite-sizes) it starts the
// gateway as its own process on loopback, counts the SQL statements of each operation of
// ./operations.ts once (REPORT_SQL_STATEMENTS), restarts it as in production and drives each
// operation with autocannon for --duration seconds, then the floor (./floor.ts: the nested page fetched with
// Prisma and with one SQL statement, no GraphQL) and, on PostgreSQL, PostGraphile v5 serving the
// same database (./peer.ts); the nested page again at --nested-connections on each of the three.
// Then the built server's start-up (npm start). It prints and writes docs/benchmark.md and
// docs/benchmark.json (./report.ts).
//
//   npm run bench                                     # 10k, 100k, 1M on PostgreSQL; 10k, 100k on PGlite
//   npm run bench -- --sizes 10000 --pglite-sizes '' --duration 5
//   npm run bench -- --help                           # every option
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { GATEWAY_LISTENING, LOAD_TEST_ENV, postGraphQL, startServerProcess } from '../lib/server-process.js';
import { scriptOptions } from '../lib/script-options.js';
import { timeStartups } from '../lib/startup.js';
import { loadConfig } from '../../src/config.js';
import { measureBreakdown } from './breakdown.js';
import { compact, prepareDataset, type Dataset } from './datasets.js';
import { nestedPage, operations, type Operation } from './operations.js';
import { type DatasetResult, type Measured, type NestedAt, type OperationResult, POOL_OPERATIONS, report, type StartupResult } from './report.js';

const args = scriptOptions('npm run bench -- [options]: the gateway under load on synthetic data, beside its floor and its peer.', {
  sizes: { type: 'string', default: '10000,100000,1000000', description: 'figures per PostgreSQL dataset, comma-separated' },
  'pglite-sizes': { type: 'string', default: '10000,100000', description: "figures per PGlite dataset ('' for none)" },
  duration: { type: 'string', default: '10', description: 'seconds of load per row' },
  'warm-up': { type: 'string', default: '1', description: 'seconds of load before each row, not timed' },
  connections: { type: 'string', default: '4', description: 'autocannon connections for every operation' },
  'nested-connections': {
    type: 'string',
    default: '1,10',
    description: "the nested page (gateway, SQL floor, PostGraphile) again at these connection counts ('' for none)",
  },
  server: {
    type: 'string',
    default: process.env.BENCH_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    description: 'the PostgreSQL server the datasets live on (a database per size)',
  },
  out: { type: 'string', default: 'docs/benchmark', description: 'where to write <out>.md and <out>.json' },
  peer: { type: 'string', default: 'on', description: "'off' skips PostGraphile" },
  'pool-sizes': { type: 'string', default: '1,4,10,20', description: "PostgreSQL pool sizes to compare on the first PostgreSQL dataset ('' skips)" },
  'startup-runs': { type: 'string', default: '5', description: "start-ups of the built server (npm run build, npm start) per data directory kind ('0' skips)" },
});
const sizes = (list: string) => list.split(',').filter(Boolean).map(Number);
const duration = Number(args.duration);
const warmUp = Number(args['warm-up']);
const connections = Number(args.connections);
const nestedConnections = sizes(args['nested-connections']).filter((n) => n !== connections);

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

/**
 * Drives one request shape (or a fresh body per request) for `duration` seconds, on `clients`
 * connections, after --warm-up seconds that are not timed (the JIT, plan caches and pools warm
 * up then, not in the first row measured). Errors count in both.
 */
async function load(
  url: string,
  request: { path: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: () => string; fixedBody?: string },
  clients = connections,
): Promise<Measured> {
  let errors = 0;
  const run = (seconds: number) =>
    autocannon({
      url,
      connections: clients,
      duration: seconds,
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
  const failed = (result: autocannon.Result) => result.errors + result.timeouts + result.non2xx;
  const warm = warmUp > 0 ? failed(await run(warmUp)) : 0;
  const result = await run(duration);
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: errors + warm + failed(result),
  };
}

/** One operation under load; a write sends a new statement (own externalId) every time. */
function loadOperation(url: string, operation: Operation, dataset: Dataset, clients = connections): Promise<Measured> {
  let sequence = 0;
  return load(
    url,
    {
      path: '/graphql',
      headers: operation.write ? { authorization: `Bearer ${dataset.secret}` } : undefined,
      ...(operation.write
        ? { body: () => JSON.stringify(operation.body(dataset.fixture, ++sequence)) }
        : { fixedBody: JSON.stringify(operation.body(dataset.fixture, 0)) }),
    },
    clients,
  );
}

const NESTED_PAGE = operations.find((o) => o.name === 'nested page')!;

/** The nested page at each of --nested-connections, on a server already running. */
async function loadAtOtherCounts(what: string, measure: (clients: number) => Promise<Measured>): Promise<Map<number, Measured>> {
  const measured = new Map<number, Measured>();
  for (const clients of nestedConnections) {
    const m = await measure(clients);
    measured.set(clients, m);
    console.log(`  ${what}, ${clients} connections: ${m.rps} req/s (p99 ${m.p99} ms, errors ${m.errors})`);
  }
  return measured;
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
    const nestedAt = await loadAtOtherCounts('nested page', (clients) => loadOperation(gateway.url, NESTED_PAGE, dataset, clients));
    return { operations: results, nestedAt, gatewayRssMb: Math.round(gateway.rssMb()) };
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
      return await loadOperation(gateway.url, NESTED_PAGE, dataset);
    } finally {
      await gateway.stop();
    }
  })();
  console.log(`  nested page, response cache on: ${cachedNested.rps} req/s (p99 ${cachedNested.p99} ms, errors ${cachedNested.errors})`);

  const floorServer = await startServerProcess('scripts/bench/floor.ts', { DATABASE_URL: dataset.databaseUrl }, /floor listening on 127\.0\.0\.1:(\d+)/);
  const floor = await (async () => ({
    prisma: await load(floorServer.url, { path: '/prisma', method: 'GET' }),
    sql: await load(floorServer.url, { path: '/sql', method: 'GET' }),
    sqlAt: await loadAtOtherCounts('SQL floor', (clients) => load(floorServer.url, { path: '/sql', method: 'GET' }, clients)),
  }))().finally(() => floorServer.stop());
  console.log(
    `  floor: Prisma ${floor.prisma.rps} req/s (p99 ${floor.prisma.p99} ms, errors ${floor.prisma.errors}), SQL ${floor.sql.rps} req/s (p99 ${floor.sql.p99} ms, errors ${floor.sql.errors})`,
  );

  let peer: Measured | null = null;
  let peerAt = new Map<number, Measured>();
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
      const request = { path: '/graphql', fixedBody: JSON.stringify({ query: POSTGRAPHILE_NESTED_PAGE }) };
      peer = await load(peerServer.url, request);
      console.log(`  PostGraphile: ${peer.rps} req/s (p99 ${peer.p99} ms, errors ${peer.errors})`);
      peerAt = await loadAtOtherCounts('PostGraphile', (clients) => load(peerServer.url, request, clients));
    } finally {
      await peerServer.stop();
    }
  }
  const { nestedAt: gatewayAt, ...gateway } = measured;
  const nestedAt: NestedAt[] = [...gatewayAt].map(([clients, m]) => ({
    connections: clients,
    gateway: m,
    sqlFloor: floor.sqlAt.get(clients)!,
    peer: peerAt.get(clients) ?? null,
  }));
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
    ...gateway,
    floor: { prisma: floor.prisma, sql: floor.sql },
    peer,
    nestedAt,
    cachedNested,
    breakdown,
    pools,
  };
}

/**
 * Start-ups of the built server as production runs it (`npm start`), on a data directory of its
 * own: a first run makes it, then `runs` on the existing directory and `runs` on a new one each.
 */
async function measureStartup(runs: number): Promise<StartupResult> {
  console.log('\nStart-up: npm run build, then npm start ...');
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`npm run build exited with ${build.status}`);
  const url = 'file:data/bench/startup';
  const command = ['npm', 'start'];
  rmSync('data/bench/startup', { recursive: true, force: true });
  await timeStartups({ url, runs: 1, fresh: false, command });
  const existing = await timeStartups({ url, runs, fresh: false, command });
  const fresh = await timeStartups({ url, runs, fresh: true, command });
  console.log(`  existing ${existing.ms.join(', ')} ms; new ${fresh.ms.join(', ')} ms`);
  return { existing, fresh };
}

// ---------------------------------------------------------------------------------------

// By size, PGlite straight after the server at the same size: the machine's speed drifts over a
// run (2× within a quarter of an hour on this shared host), and PGlite ÷ server compares those two.
const plan: [Dataset['engine'], number][] = [
  ...sizes(args.sizes).map((n) => ['PostgreSQL', n] as [Dataset['engine'], number]),
  ...sizes(args['pglite-sizes']).map((n) => ['PGlite', n] as [Dataset['engine'], number]),
].sort(([engineA, a], [engineB, b]) => a - b || (engineA === 'PostgreSQL' ? -1 : 1) - (engineB === 'PostgreSQL' ? -1 : 1));
const results: DatasetResult[] = [];
for (const [engine, figures] of plan) {
  console.log(`\nPreparing ${engine} ${compact(figures)} ...`);
  const dataset = await prepareDataset(engine, figures, args.server);
  if (dataset.builtInSeconds !== null) console.log(`  built in ${dataset.builtInSeconds.toFixed(1)} s`);
  results.push(await measureDataset(dataset));
}
const startupRuns = Number(args['startup-runs']);
const startup = startupRuns > 0 ? await measureStartup(startupRuns) : null;
const shellWord = (word: string) => (/^[\w,./:=@-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).map(shellWord).join(' ')}` : ''}`;
const markdown = report(results, { command, connections, duration, warmUp, startup });
console.log(`\n${markdown}`);
writeFileSync(`${args.out}.md`, `${markdown}\n`);
writeFileSync(
  `${args.out}.json`,
  `${JSON.stringify({ runAt: new Date().toISOString(), command, duration, warmUp, connections, results, startup }, null, 2)}\n`,
);
console.log(`\nWritten ${args.out}.md and ${args.out}.json`);
