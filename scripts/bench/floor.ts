// The floor for the benchmark: the nested incident page fetched without GraphQL
// (./floor-queries.ts), served over plain HTTP: GET /prisma and GET /sql.
// Run as its own process: DATABASE_URL=... tsx scripts/bench/floor.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { floorQueries } from './floor-queries.js';

const db = await openDatabase(loadConfig().database);
const queries = floorQueries(db.prisma);
const routes: Record<string, () => Promise<unknown>> = { '/prisma': queries.prisma, '/sql': queries.sql };

const server = createServer(async (request, response) => {
  const route = routes[request.url ?? ''];
  if (!route) return response.writeHead(404).end();
  try {
    const data = await route();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
  } catch (error) {
    response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () => console.log(`floor listening on 127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => db.close().then(() => process.exit(0))));
