// Where the nested page's time goes, one request at a time in this process (no HTTP, no
// concurrency): the gateway's whole HTTP handler, GraphQL execution alone, the Prisma query that
// Pothos builds for it alone, and the two floors. Medians of `runs` requests after a warm-up.
// Beside them, the HTTP handler's cost split by thread: the gateway's thread busy, and the
// process's CPU (on PGlite that includes the database's own thread, ../../src/db/embedded.ts).
import { performance } from 'node:perf_hooks';
import { execute, parse } from 'graphql';
import type { Config } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { inProcessEventBus } from '../../src/events/claim-events.js';
import { createGateway } from '../../src/http/gateway.js';
import { schema } from '../../src/schema/index.js';
import { floorQueries } from './floor-queries.js';
import { nestedPage } from './operations.js';

export interface Breakdown {
  /** Milliseconds per request, median. */
  httpHandler: number;
  graphqlExecution: number;
  gatewayPrismaQuery: number;
  floorPrisma: number;
  floorSql: number;
  /** HTTP handler, mean per request: the gateway's thread busy (event-loop utilisation). */
  gatewayThreadBusy: number;
  /** HTTP handler, mean per request: CPU of this whole process, every thread. */
  processCpu: number;
}

/** Milliseconds of each of `runs` runs one at a time, after `warmUp` runs, fastest first. */
export async function sortedTimes(run: () => Promise<unknown>, runs: number, warmUp = 3): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function median(run: () => Promise<unknown>, runs: number): Promise<number> {
  const times = await sortedTimes(run, runs);
  return Math.round(times[Math.floor(runs / 2)]! * 10) / 10;
}

/** Mean milliseconds per run: the calling thread busy, and the process's CPU over all threads. */
async function cpuPerRun(run: () => Promise<unknown>, runs: number): Promise<{ gatewayThreadBusy: number; processCpu: number }> {
  const cpu = process.cpuUsage();
  const busy = performance.eventLoopUtilization();
  for (let i = 0; i < runs; i++) await run();
  const used = process.cpuUsage(cpu);
  const round = (ms: number) => Math.round((ms / runs) * 10) / 10;
  return { gatewayThreadBusy: round(performance.eventLoopUtilization(busy).active), processCpu: round((used.user + used.system) / 1000) };
}

export async function measureBreakdown(config: Config, runs = 25): Promise<Breakdown> {
  const db = await openDatabase(config.database);
  try {
    const gateway = createGateway(db, config, { events: inProcessEventBus() });
    const document = parse(nestedPage(50));
    const body = JSON.stringify({ query: nestedPage(50) });
    const context = (prisma = db.prisma) => createContext({ prisma, caller: null, publicReads: true, events: inProcessEventBus() });

    // The incidents query Pothos builds for this document (merged selections), captured once.
    let built: unknown;
    const capturing = db.prisma.$extends({ query: { incident: { findMany: ({ args, query }) => ((built = args), query(args)) } } });
    await execute({ schema, document, contextValue: context(capturing as unknown as typeof db.prisma) });
    const floor = floorQueries(db.prisma);

    const request = async () => (await gateway.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
    const breakdown = {
      httpHandler: await median(request, runs),
      graphqlExecution: await median(async () => JSON.stringify(await execute({ schema, document, contextValue: context() })), runs),
      gatewayPrismaQuery: await median(
        async () => JSON.stringify(await Promise.all([db.prisma.incident.findMany(built as object), db.prisma.incident.count()])),
        runs,
      ),
      floorPrisma: await median(async () => JSON.stringify(await floor.prisma()), runs),
      floorSql: await median(async () => JSON.stringify(await floor.sql()), runs),
      ...(await cpuPerRun(request, runs)),
    };
    await gateway.dispose();
    return breakdown;
  } finally {
    await db.close();
  }
}
