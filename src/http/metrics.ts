// `GET /metrics` in Prometheus' text format, for operators (who may read it: src/http/access.ts).
// GraphQL's own figures come from @graphql-yoga/plugin-prometheus (operations, their duration by
// operation name, errors by `extensions.code`); beside them every HTTP request by route and
// status (401s, 429s and exports included, which never reach GraphQL), the database's pools or
// the embedded database's queue, and the process (memory, CPU, event-loop delay). One registry
// per gateway: tests run several in one process.
import { createCounter, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Database } from '../db/database.js';
import { METRICS_PATH } from './access.js';
import { CHARTS_PATH } from './charts.js';
import { EXPORT_PATH } from './export.js';
import { GRAPHIQL_ASSETS_PATH } from './graphiql.js';
import { PAGES_PATH } from './pages.js';
import { route } from './routes.js';

/** The routes requests are counted by; anything else is `other` (no label per probed URL). */
const ROUTES = ['/graphql', '/health', '/ready', METRICS_PATH, GRAPHIQL_ASSETS_PATH, EXPORT_PATH, CHARTS_PATH, PAGES_PATH].map((path) =>
  path.replace(/\/$/, ''),
);

const routeOf = (pathname: string) => ROUTES.find((path) => pathname === path || pathname.startsWith(`${path}/`)) ?? 'other';

/** An error without a code is one the gateway did not expect (masked as INTERNAL_SERVER_ERROR), unless graphql-js refused the document. */
function codeOf(error: unknown, phase: string): string {
  const code = (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  if (typeof code === 'string') return code;
  if (phase === 'parse') return 'GRAPHQL_PARSE_FAILED';
  if (phase === 'validate') return 'GRAPHQL_VALIDATION_FAILED';
  return 'INTERNAL_SERVER_ERROR';
}

function databaseFigures(registry: Registry, db: Database): void {
  const pool = (name: string, help: string, figure: 'total' | 'idle' | 'waiting') =>
    new Gauge({
      name,
      help,
      labelNames: ['pool'],
      registers: [registry],
      collect() {
        for (const figures of db.pools()) this.set({ pool: figures.name }, figures[figure]);
      },
    });
  if (db.pools().length > 0) {
    pool('gateway_database_pool_connections', 'Connections open in the PostgreSQL pool (primary or read replica)', 'total');
    pool('gateway_database_pool_idle_connections', 'Connections open and idle in the PostgreSQL pool', 'idle');
    pool('gateway_database_pool_waiting_requests', 'Queries waiting for a free connection of the PostgreSQL pool', 'waiting');
  }
  const embedded = db.pglite;
  if (embedded) {
    new Gauge({
      name: 'gateway_embedded_database_calls_in_flight',
      help: "Calls to the embedded database's thread not answered yet (queued or running there: it runs one at a time)",
      registers: [registry],
      collect() {
        this.set(embedded.inFlight());
      },
    });
  }
}

export function metrics(db: Database, logger: Logger): Plugin[] {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  databaseFigures(registry, db);
  const requests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const countRequests: Plugin = {
    onResponse({ request, response }) {
      requests.inc({ method: request.method, route: routeOf(new URL(request.url).pathname), status: response.status });
    },
  };
  return [
    countRequests,
    usePrometheus({
      registry,
      endpoint: false, // served below, after src/http/access.ts has decided who may read it
      // The URL would make one series per GET query string.
      labels: { url: false },
      metrics: {
        // The same timings as graphql_envelop_request_duration's histogram, with a t-digest per operation.
        graphql_envelop_request_time_summary: false,
        graphql_envelop_error_result: createCounter({
          registry,
          counter: {
            name: 'graphql_envelop_error_result',
            help: 'Errors in GraphQL answers, by operation, phase and `extensions.code`',
            labelNames: ['operationName', 'operationType', 'phase', 'code'],
          },
          fillLabelsFn: (params) => ({
            operationName: params.operationName ?? 'Anonymous',
            operationType: params.operationType ?? 'unknown',
            phase: params.errorPhase,
            code: codeOf(params.error, params.errorPhase),
          }),
        }),
      },
    }),
    route(
      logger,
      (url) => url.pathname === METRICS_PATH,
      async () => new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } }),
    ),
  ];
}
