// The HTTP face of the gateway: graphql-yoga with its limits, offline GraphiQL, health and
// readiness. Takes an open database; knows nothing about how it was opened.
import { readFileSync } from 'node:fs';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Logger } from 'pino';
import { persistedOperationStore } from '../persisted/operations.js';
import {
  bodySizeLimit,
  complexityLimit,
  createLogger,
  executionTimeout,
  hashingGraphiQLRenderer,
  maskErrorWithRequestId,
  rateLimits,
  requestIdentity,
} from './hardening.js';
import { execute, getOperationAST, GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { authenticate, hasScope, type Caller } from '../auth/keys.js';
import { inProcessEventBus, type ClaimEventBus } from '../events/claim-events.js';
import type { Config } from '../config.js';
import { createContext, readingFrom, type Context } from '../context.js';
import type { Database } from '../db/database.js';
import { withSqlStatementLog, type SqlStatementLog } from '../db/sql-statements.js';
import { schema } from '../schema/index.js';
import { chartEndpoints } from './charts.js';
import { exportEndpoints } from './export.js';
import { graphiqlAssetResponse, renderGraphiQL } from './graphiql.js';
import { incidentPages, type QueryRunner } from './pages.js';
import { responseCache } from './response-cache.js';

const exampleQuery = readFileSync(new URL('./example-query.graphql', import.meta.url), 'utf8');

/** Serves GraphiQL's bundle and workers from the gateway: no CDN needed. */
const graphiqlAssets: Plugin = {
  async onRequest({ request, endResponse }) {
    const response = await graphiqlAssetResponse(request);
    if (response) endResponse(response);
  },
};

/**
 * `GET /ready`: 200 when the database (the primary and every read replica) answers, 503 with the
 * reason naming each one that does not. A replica that is down fails a share of the queries.
 */
function readiness(db: Database): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      try {
        await db.ping();
        endResponse(fetchAPI.Response.json({ status: 'ready', database: db.target.kind, replicas: db.replicas }));
      } catch (error) {
        endResponse(
          fetchAPI.Response.json({ status: 'unavailable', reason: (error as Error).message }, { status: 503 }),
        );
      }
    },
  };
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

/** Runs each operation inside an SQL statement log and reports the count in `extensions`. */
const reportSqlStatements: Plugin<Context & { sqlStatements?: SqlStatementLog }> = {
  onExecute({ executeFn, setExecuteFn }) {
    const log: SqlStatementLog = { count: 0, statements: [] };
    setExecuteFn((executeArgs) => withSqlStatementLog(log, () => executeFn(executeArgs)));
    return {
      onExecuteDone({ result, setResult }) {
        if (Symbol.asyncIterator in result) return;
        setResult({ ...result, extensions: { ...result.extensions, sqlStatements: log.count } });
      },
    };
  },
};

/**
 * Who is calling: the holder of the API key in `Authorization: Bearer <key>`, the local CLI
 * (with the token the gateway wrote next to its embedded database), or nobody.
 */
async function callerOf(request: Request, db: Database, localAdminToken: string | null): Promise<Caller | null> {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const secret = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (secret && localAdminToken && secret === `local:${localAdminToken}`) {
    return { apiKeyId: null, name: 'local command line', scopes: ['ADMIN'] };
  }
  const caller = secret ? await authenticate(db.prisma, secret) : null;
  if (!caller) {
    throw new GraphQLError('The API key is not valid: unknown, revoked, or not sent as "Authorization: Bearer <key>"', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return caller;
}

export interface GatewayOptions {
  events?: ClaimEventBus;
  /** Lets the local command line act as an admin while the gateway holds the embedded database. */
  localAdminToken?: string | null;
  /** Where log lines go (default: a pino logger on stdout at LOG_LEVEL). */
  logger?: Logger;
}

/** True when a document only registers operations (allowed to WRITE keys in PERSISTED_ONLY mode). */
function onlyRegistersOperations(query: string): boolean {
  try {
    const operations = parse(query).definitions;
    return operations.every(
      (d) =>
        d.kind === Kind.OPERATION_DEFINITION &&
        (d as OperationDefinitionNode).operation === 'mutation' &&
        d.selectionSet.selections.every((s) => s.kind === Kind.FIELD && ['registerOperation', '__typename'].includes(s.name.value)),
    );
  } catch {
    return false;
  }
}

export function createGateway(db: Database, config: Config, options: GatewayOptions = {}) {
  const events = options.events ?? inProcessEventBus();
  const logger = options.logger ?? createLogger(config);
  // One authentication per request, shared by the allow-list check and the context.
  const callers = new WeakMap<Request, Promise<Caller | null>>();
  const callerFor = (request: Request) => {
    let caller = callers.get(request);
    if (!caller) {
      caller = callerOf(request, db, options.localAdminToken ?? null);
      callers.set(request, caller);
    }
    return caller;
  };
  /** The pages' queries run here, with the request's caller, as they would over /graphql (from a replica if any). */
  const runPageQuery: QueryRunner = async (request, document) =>
    execute({
      schema,
      document: parse(document),
      contextValue: createContext({ prisma: db.reader(), caller: await callerFor(request), publicReads: config.publicReads, events }),
    });
  const graphiqlScriptHashes = new Set<string>();
  const limiter = rateLimits(config, logger);
  const findOperation = persistedOperationStore(db.prisma);
  /** PERSISTED_ONLY: a document sent as text runs only for ADMIN keys (and registerOperation for WRITE keys). */
  const allowList: Plugin = {
    async onParams({ params, request }) {
      if (!config.persistedOnly || !params.query) return;
      const caller = await callerFor(request);
      if (hasScope(caller, 'ADMIN')) return;
      if (hasScope(caller, 'WRITE') && onlyRegistersOperations(params.query)) return;
      throw new GraphQLError(
        'This gateway runs only registered operations (PERSISTED_ONLY): send `extensions: { persistedQuery: { version: 1, sha256Hash: "<hash>" } }` instead of the document; register documents with `registerOperation` (WRITE or ADMIN key)',
        { extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } } },
      );
    },
  };
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: { limit: config.limits.maxBatch },
    // Same-origin only unless CORS_ORIGINS lists the origins (or `*`) allowed from browsers.
    cors:
      config.corsOrigins.length === 0
        ? false
        : {
            origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
            methods: ['GET', 'POST', 'OPTIONS'],
            allowedHeaders: ['content-type', 'accept', 'authorization', 'x-graphql-yoga-csrf'],
            exposedHeaders: ['x-request-id', 'retry-after'],
            credentials: false,
            maxAge: 600,
          },
    context: async ({ request }) =>
      createContext({
        prisma: db.prisma, // queriesReadFromReplicas moves query operations to a replica
        caller: await callerFor(request),
        publicReads: config.publicReads,
        events,
      }),
    graphiql: { title: 'Conflict claims gateway', defaultQuery: exampleQuery },
    renderGraphiQL: hashingGraphiQLRenderer(renderGraphiQL, graphiqlScriptHashes),
    maskedErrors: { isDev: !config.production, maskError: maskErrorWithRequestId(logger) },
    plugins: [
      requestIdentity(logger, graphiqlScriptHashes),
      limiter.plugin,
      { onDispose: () => limiter.close() },
      bodySizeLimit(config.limits.maxBodyBytes),
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
      allowList,
      usePersistedOperations({
        allowArbitraryOperations: true, // refused above in PERSISTED_ONLY mode
        getPersistedOperation: (hash) => findOperation(hash),
        customErrors: {
          notFound: {
            message: 'No operation is registered with this hash: register the document with `registerOperation` first (the hash is the SHA-256 of its exact text)',
            extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } },
          },
          keyNotFound: {
            message: 'Send a GraphQL document as `query`, or a registered operation\'s hash as `extensions.persistedQuery.sha256Hash` (with `version: 1`)',
            extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED', http: { status: 400 } },
          },
        },
      }),
      ...(config.introspection ? [] : [useDisableIntrospection()]),
      graphiqlAssets,
      readiness(db),
      exportEndpoints(() => db.reader()),
      chartEndpoints(() => db.reader(), { publicReads: config.publicReads }),
      incidentPages(() => db.reader(), runPageQuery, { publicReads: config.publicReads, logger }),
      maxDepthPlugin({ n: config.limits.maxDepth, flattenFragments: true, exposeLimits: true }),
      maxAliasesPlugin({ n: config.limits.maxAliases, exposeLimits: true }),
      costLimitPlugin({ maxCost: config.limits.maxCost, exposeLimits: true }),
      maxDirectivesPlugin({ n: config.limits.maxDirectives, exposeLimits: true }),
      maxTokensPlugin({ n: config.limits.maxTokens, exposeLimits: true }),
      ...(config.production ? [blockFieldSuggestionsPlugin()] : []),
      complexityLimit(schema, config.limits.maxComplexity),
      ...(config.limits.requestTimeoutMs > 0 ? executionTimeout(config.limits.requestTimeoutMs) : []),
      ...(config.reportSqlStatements ? [reportSqlStatements] : []),
      // After the allow-list and persisted operations: a cached answer is sent from `onParams`.
      ...responseCache(config, db.target, callerFor, logger),
      ...(db.replicas.length > 0 ? [queriesReadFromReplicas(db)] : []),
    ],
  });
}

export type Gateway = ReturnType<typeof createGateway>;
