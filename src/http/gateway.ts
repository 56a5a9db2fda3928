// The HTTP face of the gateway: graphql-yoga with its limits, offline GraphiQL, health and
// readiness. Takes an open database; knows nothing about how it was opened.
import { readFileSync } from 'node:fs';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Logger } from 'pino';
import { documentStore } from '../persisted/operations.js';
import { bodySizeLimit, createLogger, currentRequestId, executionTimeout, hashingGraphiQLRenderer, requestIdentity } from './hardening.js';
import { execute, getOperationAST, parse } from 'graphql';
import { createYoga, handleStreamOrSingleExecutionResult, useReadinessCheck, type Plugin } from 'graphql-yoga';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { localOperatorCheck } from '../auth/local-operator.js';
import { requestCallers, routeAccess, socketAddress } from './access.js';
import { corsOptions, postsMustBeJson, varyOnOrigin } from './cross-origin.js';
import { compiledReads } from './compiled-reads.js';
import { accessLog } from './access-log.js';
import { hideSuggestions, maskErrorWithRequestId } from './errors.js';
import { metrics } from './metrics.js';
import { DOCUMENT_ID_PARAMS, persistedDocuments } from './persisted.js';
import { batchLimit, documentLimits, operationLimits } from './query-limits.js';
import { tracing } from './tracing.js';
import { rateLimits } from './rate-limits.js';
import { route } from './routes.js';
import { inProcessEventBus, type ClaimEventBus } from '../events/claim-events.js';
import type { Config } from '../config.js';
import { createContext, readingFrom, type Context } from '../context.js';
import type { Database } from '../db/database.js';
import { withSqlStatementLog, type SqlStatementLog } from '../db/sql-statements.js';
import { schema } from '../schema/index.js';
import { chartEndpoints } from './charts.js';
import { exportEndpoints } from './export.js';
import { GRAPHIQL_ASSETS_PATH, graphiqlAssetResponse, renderGraphiQL } from './graphiql.js';
import { incidentPages, type QueryRunner } from './pages.js';
import { responseCache } from './response-cache.js';

const exampleQuery = readFileSync(new URL('./example-query.graphql', import.meta.url), 'utf8');

/** How long `/ready` waits for each database before it reports the one that did not answer. */
export const READINESS_DEADLINE_MS = 2_000;

/**
 * `GET /ready`: 200 when the database (the primary and every read replica) answers within
 * READINESS_DEADLINE_MS, 503 naming each one that does not and why ("refused", "no answer in
 * time"), never where it lives: the address is in the log line, not in an anonymous answer.
 */
function readiness(db: Database, logger: Logger): Plugin {
  return useReadinessCheck({
    endpoint: '/ready',
    async check() {
      const checks = await db.check(READINESS_DEADLINE_MS);
      const down = checks.filter((check) => check.problem !== null);
      const headers = { 'cache-control': 'no-store' };
      if (down.length === 0) return Response.json({ status: 'ready', database: db.target.kind, replicas: db.replicas.length }, { headers });
      logger.warn({ requestId: currentRequestId(), down }, 'not ready');
      return Response.json(
        {
          status: 'unavailable',
          reason: down.map((check) => `${check.name} does not answer (${check.problem})`).join('; '),
          unavailable: down.map((check) => check.name),
        },
        { status: 503, headers: { ...headers, 'retry-after': '5' } },
      );
    },
  });
}

/**
 * Query operations read from a read replica (DATABASE_REPLICA_URLS). Everything else keeps the
 * primary the context starts with: a mutation's payload is read after its transaction and must
 * show the write (read-your-writes), and a subscription reads each event as soon as it is written.
 */
function queriesReadFromReplicas(db: Database): Plugin<Context> {
  return {
    onExecute({ args, extendContext }) {
      if (getOperationAST(args.document, args.operationName)?.operation === 'query') extendContext(readingFrom(db.reader()));
    },
  };
}

/**
 * Runs each operation inside an SQL statement log and reports the count in `extensions`. An
 * answer delivered in parts (`@defer`, `@stream`) reports the count so far in every part: the
 * last part's is the operation's.
 */
const reportSqlStatements: Plugin<Context & { sqlStatements?: SqlStatementLog }> = {
  onExecute({ executeFn, setExecuteFn }) {
    const log: SqlStatementLog = { count: 0, statements: [] };
    setExecuteFn((executeArgs) => withSqlStatementLog(log, () => executeFn(executeArgs)));
    return {
      onExecuteDone: (payload) =>
        handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
          setResult({ ...result, extensions: { ...result.extensions, sqlStatements: log.count } });
        }),
    };
  },
};

export interface GatewayOptions {
  events?: ClaimEventBus;
  /** Lets the local command line act as an admin while the gateway holds the embedded database. */
  localAdminToken?: string | null;
  /** Where log lines go (default: a pino logger on stdout at LOG_LEVEL). */
  logger?: Logger;
}

export function createGateway(db: Database, config: Config, options: GatewayOptions = {}) {
  const events = options.events ?? inProcessEventBus();
  const logger = options.logger ?? createLogger(config);
  const localOperator = localOperatorCheck(options.localAdminToken ?? null);
  // One authentication per request, shared by route access, the allow-list check and the context.
  const callers = requestCallers(db, localOperator);
  const callerFor = callers.of;
  /** The pages' queries run here, with the request's caller, as they would over /graphql (from a replica if any). */
  const runPageQuery: QueryRunner = async (request, document) =>
    execute({
      schema,
      document: parse(document),
      contextValue: createContext({
        prisma: db.reader(),
        caller: await callerFor(request),
        publicReads: config.publicReads,
        events,
        countExactLimit: config.countExactLimit,
      }),
    });
  const graphiqlScriptHashes = new Set<string>();
  const limiter = rateLimits(config, logger, (request, serverContext) => localOperator(request, socketAddress(serverContext)) === 'operator');
  const documents = documentStore(db.prisma, { automatic: !config.persistedOnly });
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // batchLimit below refuses a longer batch first, with its code.
    batching: { limit: config.limits.maxBatch },
    extraParamNames: [...DOCUMENT_ID_PARAMS],
    // Same-origin only unless CORS_ORIGINS lists the origins (or `*`) allowed from browsers.
    cors: corsOptions(config.corsOrigins),
    context: async ({ request }) =>
      createContext({
        prisma: db.prisma, // queriesReadFromReplicas moves query operations to a replica
        caller: await callerFor(request),
        publicReads: config.publicReads,
        events,
        countExactLimit: config.countExactLimit,
      }),
    graphiql: { title: 'Conflict claims gateway', defaultQuery: exampleQuery },
    renderGraphiQL: hashingGraphiQLRenderer(renderGraphiQL, graphiqlScriptHashes),
    maskedErrors: { isDev: !config.production, maskError: maskErrorWithRequestId(logger) },
    // yoga's own log lines in ours (JSON); a masked error is already logged with its request id.
    logging: {
      debug: (...args) => logger.debug({ yoga: args }, 'yoga'),
      info: (...args) => logger.info({ yoga: args }, 'yoga'),
      warn: (...args) => logger.warn({ yoga: args }, 'yoga'),
      error: (...args) => logger.debug({ err: args[0] }, 'yoga: error (masked and logged with its request id)'),
    },
    plugins: [
      requestIdentity(graphiqlScriptHashes),
      accessLog(logger, callers),
      ...tracing(config.tracing),
      callers.plugin,
      limiter.plugin,
      { onDispose: () => limiter.close() },
      bodySizeLimit(config.limits.maxBodyBytes),
      batchLimit(config.limits.maxBatch),
      postsMustBeJson(),
      ...(config.corsOrigins.length > 0 ? [varyOnOrigin()] : []),
      ...persistedDocuments(documents, { persistedOnly: config.persistedOnly, callerFor }),
      ...(config.introspection ? [] : [useDisableIntrospection()]),
      // Every route below /graphql: who may use it is decided first, then the route answers.
      routeAccess({ publicReads: config.publicReads, metricsToken: config.metricsToken }, callerFor, logger),
      ...metrics(db, logger),
      route(logger, (url) => url.pathname.startsWith(GRAPHIQL_ASSETS_PATH), graphiqlAssetResponse),
      readiness(db, logger),
      exportEndpoints(() => db.reader(), logger),
      chartEndpoints(() => db.reader(), { publicReads: config.publicReads }),
      incidentPages(() => db.reader(), runPageQuery, { publicReads: config.publicReads, logger }),
      ...documentLimits(config.limits),
      // `@defer` and `@stream` (declared in the schema, src/schema/index.ts): an answer in parts,
      // as multipart/mixed or server-sent events, whatever the client accepts.
      useDeferStream(),
      ...(config.production ? [hideSuggestions()] : []),
      operationLimits(schema, config.limits.maxCost),
      // Wrapped by the plugins after it: it reads through the client they set (the replica, the
      // deadline) and its statement is counted like any other.
      ...(config.compiledReads ? [compiledReads(logger)] : []),
      ...(config.reportSqlStatements ? [reportSqlStatements] : []),
      // After the allow-list and persisted operations: a cached answer is sent from `onParams`.
      ...responseCache(config, db.target, callerFor, logger),
      ...(db.replicas.length > 0 ? [queriesReadFromReplicas(db)] : []),
      // After the replica is chosen: the request's deadline wraps the client it reads through.
      ...(config.limits.requestTimeoutMs > 0 ? [executionTimeout(config.limits.requestTimeoutMs)] : []),
    ],
  });
}

export type Gateway = ReturnType<typeof createGateway>;
