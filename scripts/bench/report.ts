// The benchmark's report (docs/benchmark.md): what ./run.ts measured, as tables, and the issue's
// targets with a verdict each, every ratio taken within the one run.
import { cpus } from 'node:os';
import type { StartupTiming } from '../lib/startup.js';
import type { Breakdown } from './breakdown.js';
import { compact, type Dataset } from './datasets.js';
import { operations, type Operation } from './operations.js';

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx answers, socket errors, timeouts and answers carrying GraphQL `errors`. */
  errors: number;
}
export interface OperationResult extends Measured {
  name: string;
  sqlStatements: number | null;
}
/** The nested page at one number of connections: the gateway, its SQL floor and its peer. */
export interface NestedAt {
  connections: number;
  gateway: Measured;
  sqlFloor: Measured;
  peer: Measured | null;
}
export interface DatasetResult {
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
  /** The nested page at the other connection counts (--nested-connections). */
  nestedAt: NestedAt[];
  /** The nested page again with the response cache on (RESPONSE_CACHE_TTL_MS): repeated reads. */
  cachedNested: Measured;
  /** The nested page one request at a time in process, by layer. */
  breakdown: Breakdown;
  /** Per DATABASE_POOL_SIZE: the operations of POOL_OPERATIONS under load. */
  pools: { poolSize: number; operations: (Measured & { name: string })[] }[];
}
/** From `npm start` (the built server) to the first answer. */
export interface StartupResult {
  existing: StartupTiming;
  fresh: StartupTiming;
}
export interface RunContext {
  command: string;
  connections: number;
  duration: number;
  /** Seconds of load before each row, not timed. */
  warmUp: number;
  startup: StartupResult | null;
}

export const POOL_OPERATIONS = ['nested page', 'node lookup', 'write'];
/** The issue's goals, checked in the Targets table. */
const GOALS = { overheadVsSql: 1.5, vsPeer: 1.2, p99Growth: 1.5, embeddedVsServer: 0.9, startupExistingMs: 1500, startupFreshMs: 5000 };

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : NaN);
const verdict = (met: boolean) => (met ? 'met' : '**missed**');
const plural = (n: number) => `${n} connection${n === 1 ? '' : 's'}`;
const nestedOf = (r: DatasetResult) => r.operations.find((o) => o.name === 'nested page')!;

/** The nested page at every connection count of the run, the main one included, fewest first. */
function nestedRows(r: DatasetResult, connections: number): NestedAt[] {
  const main: NestedAt = { connections, gateway: nestedOf(r), sqlFloor: r.floor.sql, peer: r.peer };
  return [main, ...r.nestedAt].sort((a, b) => a.connections - b.connections);
}

export function report(results: DatasetResult[], context: RunContext): string {
  const lines: string[] = [];
  const row = (...cells: (string | number | null)[]) => lines.push(`| ${cells.map((c) => c ?? '–').join(' | ')} |`);
  const { connections, duration } = context;
  lines.push(`Command: \`${context.command}\``);
  lines.push(
    `Run ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}; autocannon on loopback, ${connections} connections unless a table says otherwise, ${duration} s per row after ${context.warmUp} s not timed. Timings on this shared machine are only comparable within one run.`,
  );
  lines.push('', '### Operations', '');
  row('dataset', 'operation', 'req/s', 'p50 ms', 'p99 ms', 'SQL statements / request', 'errors');
  row('---', '---', '---:', '---:', '---:', '---:', '---:');
  for (const r of results) for (const o of r.operations) row(r.label, o.name, o.rps, o.p50, o.p99, o.sqlStatements, o.errors);

  lines.push('', `### Nested page: gateway, floor and peer (${plural(connections)})`, '');
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
    const nested = nestedOf(r);
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

  if (results.some((r) => r.nestedAt.length > 0)) {
    lines.push('', '### Nested page at each number of connections', '');
    row('connections', 'dataset', 'gateway req/s', 'PostGraphile req/s', 'gateway ÷ PostGraphile', 'gateway p99 / PostGraphile p99 ms', 'SQL floor req/s');
    row('---:', '---', '---:', '---:', '---:', '---:', '---:');
    const counts = [...new Set(results.flatMap((r) => nestedRows(r, connections).map((n) => n.connections)))].sort((a, b) => a - b);
    for (const count of counts)
      for (const r of results) {
        const n = nestedRows(r, connections).find((x) => x.connections === count);
        if (!n) continue;
        row(
          count,
          r.label,
          n.gateway.rps,
          n.peer?.rps ?? null,
          n.peer ? ratio(n.gateway.rps, n.peer.rps) : null,
          n.peer ? `${n.gateway.p99} / ${n.peer.p99}` : null,
          n.sqlFloor.rps,
        );
      }
  }

  // The embedded default beside the server, where both ran the same size.
  const pairs = results
    .filter((r) => r.engine === 'PGlite')
    .flatMap((embedded) => {
      const server = results.find((r) => r.engine === 'PostgreSQL' && r.figures === embedded.figures);
      return server ? [{ embedded, server }] : [];
    });
  if (pairs.length > 0) {
    lines.push('', '### The embedded default: PGlite ÷ the PostgreSQL server, nested page req/s', '');
    row('dataset', 'connections', 'PGlite req/s', 'PostgreSQL req/s', 'PGlite ÷ PostgreSQL');
    row('---', '---:', '---:', '---:', '---:');
    for (const { embedded, server } of pairs)
      for (const n of nestedRows(embedded, connections)) {
        const s = nestedRows(server, connections).find((x) => x.connections === n.connections);
        if (s) row(compact(embedded.figures), n.connections, n.gateway.rps, s.gateway.rps, ratio(n.gateway.rps, s.gateway.rps));
      }
  }

  const growth: { engine: string; from: DatasetResult; to: DatasetResult }[] = [];
  for (const engine of ['PostgreSQL', 'PGlite'] as const) {
    const runs = results.filter((r) => r.engine === engine).sort((a, b) => a.figures - b.figures);
    if (runs.length > 1) growth.push({ engine, from: runs[0]!, to: runs.at(-1)! });
  }
  const growthOf = (g: (typeof growth)[number], o: Operation) =>
    ratio(g.to.operations.find((x) => x.name === o.name)!.p99, g.from.operations.find((x) => x.name === o.name)!.p99);
  if (growth.length > 0) {
    lines.push('', '### Growth: p99 at the largest size ÷ p99 at the smallest', '');
    row('engine', 'sizes', ...operations.map((o) => o.name));
    row('---', '---', ...operations.map(() => '---:'));
    for (const g of growth) row(g.engine, `${compact(g.from.figures)} → ${compact(g.to.figures)}`, ...operations.map((o) => growthOf(g, o)));
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

  const { startup } = context;
  if (startup) {
    lines.push('', `### Start-up: \`${startup.existing.command}\` (the built server) to the first answer, ms`, '');
    row('data directory', 'runs (ms)', 'median');
    row('---', '---', '---:');
    row('existing (made by a first run, not counted)', startup.existing.ms.join(', '), startup.existing.medianMs);
    row('new: removed before each run', startup.fresh.ms.join(', '), startup.fresh.medianMs);
  }

  lines.push('', '### Targets', '');
  row('target', 'result', 'verdict');
  row('---', '---', '---');
  for (const r of results) {
    const { first10, first50 } = r.nestedStatements;
    row(`${r.label}: SQL statements independent of page size`, `${first10} at 10 per page, ${first50} at 50`, verdict(first10 === first50));
  }
  for (const r of results) {
    const overhead = ratio(r.floor.sql.rps, nestedOf(r).rps);
    row(`${r.label}: overhead ≤ ${GOALS.overheadVsSql}× direct SQL (nested page)`, `${overhead}×`, verdict(overhead <= GOALS.overheadVsSql));
    for (const n of nestedRows(r, connections)) {
      if (!n.peer) continue;
      const vsPeer = ratio(n.gateway.rps, n.peer.rps);
      row(
        `${r.label}, ${plural(n.connections)}: ≥ ${GOALS.vsPeer}× PostGraphile's throughput, p99 no worse (nested page)`,
        `${vsPeer}×, p99 ${n.gateway.p99} / ${n.peer.p99} ms`,
        verdict(vsPeer >= GOALS.vsPeer && n.gateway.p99 <= n.peer.p99),
      );
    }
  }
  for (const g of growth) {
    const worst = Math.max(...operations.map((o) => growthOf(g, o)));
    const over = operations.filter((o) => growthOf(g, o) > GOALS.p99Growth).map((o) => o.name);
    row(
      `${g.engine}: p99 growth ${compact(g.from.figures)} → ${compact(g.to.figures)} ≤ ${GOALS.p99Growth}× (worst operation)`,
      `${worst}×${over.length ? ` (over: ${over.join(', ')})` : ''}`,
      verdict(worst <= GOALS.p99Growth),
    );
  }
  for (const { embedded, server } of pairs) {
    const vsServer = ratio(nestedOf(embedded).rps, nestedOf(server).rps);
    row(
      `PGlite ${compact(embedded.figures)}, ${plural(connections)}: ≥ ${GOALS.embeddedVsServer}× the PostgreSQL server (nested page)`,
      `${vsServer}×`,
      verdict(vsServer >= GOALS.embeddedVsServer),
    );
  }
  if (startup) {
    row(
      `start-up on an existing data directory < ${GOALS.startupExistingMs / 1000} s`,
      `${startup.existing.medianMs} ms`,
      verdict(startup.existing.medianMs < GOALS.startupExistingMs),
    );
    row(
      `start-up on a new data directory < ${GOALS.startupFreshMs / 1000} s`,
      `${startup.fresh.medianMs} ms`,
      verdict(startup.fresh.medianMs < GOALS.startupFreshMs),
    );
  }
  // Every row measured through the gateway, the response-cached one too.
  const errors = results.flatMap((r) => [...r.operations, r.cachedNested, ...r.nestedAt.map((n) => n.gateway)]).reduce((sum, o) => sum + o.errors, 0);
  row('no errors under load', `${errors} errors`, verdict(errors === 0));
  return lines.join('\n');
}
