// Where the nested page's time goes, one request at a time in this process (no HTTP, no
// concurrency): the gateway's whole HTTP handler, GraphQL execution alone, the Prisma query that
// Pothos builds for it alone, and the two floors. Medians of `runs` requests after a warm-up.
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
}

async function median(run: () => Promise<unknown>, runs: number): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(runs / 2)]! * 10) / 10;
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

    const breakdown = {
      httpHandler: await median(async () => (await gateway.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text(), runs),
      graphqlExecution: await median(async () => JSON.stringify(await execute({ schema, document, contextValue: context() })), runs),
      gatewayPrismaQuery: await median(async () => JSON.stringify(await Promise.all([db.prisma.incident.findMany(built as object), db.prisma.incident.count()])), runs),
      floorPrisma: await median(async () => JSON.stringify(await floor.prisma()), runs),
      floorSql: await median(async () => JSON.stringify(await floor.sql()), runs),
    };
    await gateway.dispose();
    return breakdown;
  } finally {
    await db.close();
  }
}
