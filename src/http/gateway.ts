// The HTTP face of the gateway: graphql-yoga with its limits, offline GraphiQL, health and
// readiness. Takes an open database; knows nothing about how it was opened.
import { readFileSync } from 'node:fs';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { authenticate, type Caller } from '../auth/keys.js';
import { inProcessEventBus, type ClaimEventBus } from '../events/claim-events.js';
import type { Config } from '../config.js';
import { createContext, type Context } from '../context.js';
import type { Database } from '../db/database.js';
import { withSqlStatementLog, type SqlStatementLog } from '../db/sql-statements.js';
import { schema } from '../schema/index.js';
import { exportEndpoints } from './export.js';
import { graphiqlAssetResponse, renderGraphiQL } from './graphiql.js';

const exampleQuery = readFileSync(new URL('./example-query.graphql', import.meta.url), 'utf8');

/** Serves GraphiQL's bundle and workers from the gateway: no CDN needed. */
const graphiqlAssets: Plugin = {
  async onRequest({ request, endResponse }) {
    const response = await graphiqlAssetResponse(request);
    if (response) endResponse(response);
  },
};

/** `GET /ready`: 200 when the database answers, 503 (with the reason) when it does not. */
function readiness(db: Database): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      try {
        await db.ping();
        endResponse(fetchAPI.Response.json({ status: 'ready', database: db.target.kind }));
      } catch (error) {
        endResponse(
          fetchAPI.Response.json({ status: 'unavailable', reason: (error as Error).message }, { status: 503 }),
        );
      }
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
}

export function createGateway(db: Database, config: Config, options: GatewayOptions = {}) {
  const events = options.events ?? inProcessEventBus();
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    context: async ({ request }) =>
      createContext({
        prisma: db.prisma,
        caller: await callerOf(request, db, options.localAdminToken ?? null),
        publicReads: config.publicReads,
        events,
      }),
    graphiql: { title: 'Conflict claims gateway', defaultQuery: exampleQuery },
    renderGraphiQL,
    maskedErrors: { isDev: !config.production },
    plugins: [
      graphiqlAssets,
      readiness(db),
      exportEndpoints(db.prisma),
      maxDepthPlugin({ n: config.limits.maxDepth, flattenFragments: true, exposeLimits: true }),
      maxAliasesPlugin({ n: config.limits.maxAliases, exposeLimits: true }),
      costLimitPlugin({ maxCost: config.limits.maxCost, exposeLimits: true }),
      ...(config.reportSqlStatements ? [reportSqlStatements] : []),
    ],
  });
}

export type Gateway = ReturnType<typeof createGateway>;
