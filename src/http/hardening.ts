// Abuse limits and HTTP hygiene for the gateway, each a yoga plugin built on a maintained
// library where one exists: structured logs with a request id on every response and every
// masked error, security headers, body-size and time limits, query complexity with page sizes
// counted, rate limits per API key and per client address, and the persisted-operations
// allow-list.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import { GraphQLError, Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { maskError, type Plugin } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { readingFrom, type Context } from '../context.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { InvalidInputError } from '../rules/errors.js';

/** One JSON line per event on stdout. Secrets are never written, whatever is passed. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'conflict-claims-gateway' },
      redact: {
        paths: ['authorization', 'headers.authorization', 'req.headers.authorization', 'headers.cookie', 'secret', '*.secret', 'variables.secret'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

// ---------------------------------------------------------------------------------------------
// Request ids

const requestScope = new AsyncLocalStorage<{ id: string }>();

/** The id of the request being handled, or null outside one. */
export const currentRequestId = (): string | null => requestScope.getStore()?.id ?? null;

/**
 * Gives every request an id: in scope for everything the request runs (logs, masked errors)
 * and sent back as `X-Request-Id`. Also sets the security headers and logs each request
 * (method, path, status, duration; at `debug`: no addresses, no headers).
 */
export function requestIdentity(logger: Logger, graphiqlScriptHashes: Set<string>): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    instrumentation: {
      request: (_payload, wrapped) => requestScope.run({ id: randomUUID() }, wrapped),
    },
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const id = currentRequestId();
      if (id) response.headers.set('x-request-id', id);
      setSecurityHeaders(response, graphiqlScriptHashes);
      const url = new URL(request.url);
      logger.debug(
        { requestId: id, method: request.method, path: url.pathname, status: response.status, ms: Math.round(performance.now() - (started.get(request) ?? 0)) },
        'request',
      );
    },
  };
}

function setSecurityHeaders(response: Response, graphiqlScriptHashes: Set<string>): void {
  const headers = response.headers;
  headers.set('x-content-type-options', 'nosniff');
  headers.set('x-frame-options', 'DENY');
  headers.set('referrer-policy', 'no-referrer');
  headers.set('cross-origin-opener-policy', 'same-origin');
  if ((headers.get('content-type') ?? '').startsWith('text/html')) {
    // GraphiQL: its bundle, stylesheet and workers come from this origin; its two inline
    // scripts are allowed by hash (recorded when the page is rendered); Monaco sets inline styles.
    const hashes = [...graphiqlScriptHashes].map((hash) => `'sha256-${hash}'`).join(' ');
    headers.set(
      'content-security-policy',
      `default-src 'self'; script-src 'self' ${hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    );
  } else {
    headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  }
}

/** Wraps a GraphiQL renderer so that the page's inline scripts are allowed by the CSP. */
export function hashingGraphiQLRenderer<Options>(render: (options?: Options) => string, hashes: Set<string>) {
  return (options?: Options): string => {
    const html = render(options);
    for (const [, script] of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
      hashes.add(createHash('sha256').update(script!).digest('base64'));
    }
    return html;
  };
}

/**
 * yoga's masking (no stack or message of an unexpected error reaches the client) plus the
 * request id in the message, and the original error in the log under the same id.
 */
/**
 * Prisma's and the pg driver's ways of saying the database cannot be reached (P1001 can't reach,
 * P1017 connection closed, P2024 pool timeout; refused, reset or timed-out sockets; a connection
 * attempt that got no answer in time, "timeout expired" from pg).
 */
function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && ['P1001', 'P1002', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code)) return true;
  return typeof message === 'string' && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|^timeout expired$|Can't reach database server/i.test(message);
}

export function maskErrorWithRequestId(logger: Logger) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    const requestId = currentRequestId();
    if (original instanceof InvalidInputError) {
      // An argument broke its rule (a date that does not exist, an ID of the wrong type): the
      // client's to fix, said with the argument's path, each rule and its code.
      return new GraphQLError(original.message, {
        path: error instanceof GraphQLError ? error.path : undefined,
        extensions: { code: 'BAD_USER_INPUT', issues: original.issues },
      });
    }
    if (isDatabaseUnavailable(original)) {
      // Not the client's fault and not a bug: say so, so clients retry instead of reporting it.
      logger.warn({ requestId, err: original }, 'database unavailable');
      return new GraphQLError(`The database is unavailable right now: try again shortly (request id ${requestId}).`, {
        path: error instanceof GraphQLError ? error.path : undefined,
        extensions: { code: 'DATABASE_UNAVAILABLE', requestId, http: { status: 503 } },
      });
    }
    const masked = maskError(error, message, isDev);
    if (masked === error) return masked;
    logger.error({ requestId, err: original, path: error instanceof GraphQLError ? error.path : undefined }, 'unexpected error');
    const graphQLError = masked as GraphQLError;
    return new GraphQLError(`${message} Quote request id ${requestId} to the operator.`, {
      nodes: graphQLError.nodes,
      source: graphQLError.source,
      positions: graphQLError.positions,
      path: graphQLError.path,
      extensions: { ...graphQLError.extensions, requestId },
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Body size

function payloadTooLarge(maxBytes: number): GraphQLError {
  return new GraphQLError(`The request body is larger than ${maxBytes} bytes (MAX_BODY_BYTES): send a smaller document, or register it as a persisted operation`, {
    extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } },
  });
}

/**
 * Refuses bodies over `maxBytes` with 413 before parsing: at once when `Content-Length` says
 * so, and while reading otherwise (a chunked body is cut off at the limit, never buffered whole).
 */
export function bodySizeLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      const declared = Number(request.headers.get('content-length') ?? NaN);
      if (declared > maxBytes) throw payloadTooLarge(maxBytes);
      if (!request.body || !requestParser) return;
      setRequestParser(async (original) => {
        const reader = original.body!.getReader();
        const chunks: Uint8Array[] = [];
        let size = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > maxBytes) {
            await reader.cancel().catch(() => {});
            throw payloadTooLarge(maxBytes);
          }
          chunks.push(value);
        }
        const body = Buffer.concat(chunks);
        return requestParser(new Request(original.url, { method: original.method, headers: original.headers, body }));
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Time limit

const timeoutError = (ms: number) =>
  new GraphQLError(`The query took longer than ${ms} ms (REQUEST_TIMEOUT_MS) and was stopped: ask for less (smaller pages, fewer nested lists) or narrow the filter`, {
    extensions: { code: 'TIMEOUT', limitMs: ms },
  });

/**
 * A client for one request that refuses to start any database call after `deadline`: where the
 * work is. (Checked on the clock as well as the signal: with the embedded database, a long
 * query holds this thread, and the timer that aborts the signal runs only after it.)
 */
function withDeadline(prisma: PrismaClient, signal: AbortSignal, deadline: number, ms: number): PrismaClient {
  return prisma.$extends({
    query: {
      $allOperations({ args, query }) {
        if (signal.aborted || performance.now() > deadline) throw timeoutError(ms);
        return query(args);
      },
    },
  }) as unknown as PrismaClient;
}

/**
 * Stops a query after `ms` milliseconds with a clear error (and no partial data), per request:
 * the request's own client stops starting database calls at its deadline, and a timer answers
 * while the database is still working (a server). Nothing outlives the request: the next one
 * starts with its own client and its own clock. Mutations are not cut short: a write that is
 * already running finishes (and commits) or fails whole.
 */
export function executionTimeout(ms: number): Plugin<Context> {
  return {
    onExecute({ args, context, extendContext, executeFn, setExecuteFn }) {
      const operation = (args.document as DocumentNode).definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!args.operationName || d.name?.value === args.operationName),
      );
      if (operation?.operation !== 'query') return;
      const deadline = performance.now() + ms;
      const controller = new AbortController();
      extendContext(readingFrom(withDeadline(context.prisma, controller.signal, deadline, ms)));
      setExecuteFn(async (executeArgs) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<{ errors: GraphQLError[] }>((resolve) => {
          timer = setTimeout(() => {
            controller.abort();
            resolve({ errors: [timeoutError(ms)] });
          }, ms);
        });
        try {
          const result = await Promise.race([executeFn(executeArgs), timeout]);
          return performance.now() > deadline ? { errors: [timeoutError(ms)] } : result;
        } finally {
          clearTimeout(timer);
          controller.abort();
        }
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Complexity (page sizes counted; see src/schema/complexity.ts)

/** Only the operation that runs, with the fragments: what @pothos/plugin-complexity counts. */
function selectedOperation(document: DocumentNode, operationName: string | null | undefined): DocumentNode {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  return { ...document, definitions: document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION || d === operation) };
}

/**
 * Refuses, before anything runs, an operation whose complexity (every field 1, a connection's
 * selection times its `first`/`last`, a list's times 10) is above `max`. Counted at execution
 * because the page sizes can come from variables.
 */
export function complexityLimit(schema: GraphQLSchema, max: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const document = selectedOperation(args.document, args.operationName);
      if (!document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) return;
      let complexity: number;
      try {
        complexity = complexityFromQuery(document, { schema, ctx: args.contextValue as object, variables: (args.variableValues ?? {}) as Record<string, unknown> }).complexity;
      } catch {
        return; // execution reports what is wrong with the operation
      }
      if (complexity > max) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `Query complexity ${complexity} exceeds the limit of ${max} (MAX_QUERY_COMPLEXITY): each list multiplies what is selected under it by its page size (\`first\`/\`last\`, default 20) or by 10; ask for smaller pages or fewer nested lists`,
              { extensions: { code: 'QUERY_TOO_COMPLEX', complexity, limit: max } },
            ),
          ],
        });
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Rate limits

export interface RateLimits {
  plugin: Plugin;
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

const UNLIMITED_PATHS = ['/health', '/ready'];

/** The client's address: the socket's, or (behind a trusted proxy) the last X-Forwarded-For hop. */
function clientAddress(request: Request, serverContext: unknown, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for');
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    if (last) return last;
  }
  const req = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req;
  return req?.socket?.remoteAddress ?? 'unknown';
}

/**
 * Requests per window per API key (the key's hash: the secret is never kept) and per client
 * address, counted in memory, or in Redis when REDIS_URL is set so that every instance shares
 * the counts (with the in-memory counter as a stand-in while Redis is unreachable). A refused
 * request gets 429, `Retry-After` and a GraphQL error naming the limit.
 */
export function rateLimits(config: Pick<Config, 'rateLimit' | 'redisUrl'>, logger: Logger): RateLimits {
  const { perKey, perIp, windowSeconds, trustProxy } = config.rateLimit;
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'claims-gateway-rate-limit' })
    : null;
  redis?.on('error', (error) => logger.warn({ err: { message: error.message } }, 'rate-limit store (Redis) unreachable: counting in memory meanwhile'));
  const limiter = (name: string, points: number): RateLimiterAbstract => {
    const options = { keyPrefix: `rate-limit:${name}`, points, duration: windowSeconds };
    const memory = new RateLimiterMemory(options);
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory }) : memory;
  };
  const byKey = limiter('key', perKey);
  const byIp = limiter('ip', perIp);

  const refuse = (limit: string, points: number, result: RateLimiterRes) => {
    const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
    return Response.json(
      {
        errors: [
          {
            message: `Rate limit exceeded: at most ${points} requests per ${windowSeconds} s ${limit}. Retry after ${retryAfter} s.`,
            extensions: { code: 'RATE_LIMITED', limit, limitRequests: points, windowSeconds, retryAfterSeconds: retryAfter },
          },
        ],
      },
      {
        status: 429,
        headers: {
          'retry-after': String(retryAfter),
          'ratelimit-limit': String(points),
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(retryAfter),
        },
      },
    );
  };

  const consume = async (limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> => {
    try {
      await limiter.consume(key);
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return rejection;
      logger.error({ err: rejection }, 'rate limiter failed: request let through');
      return null;
    }
  };

  return {
    plugin: {
      async onRequest({ request, url, serverContext, endResponse }) {
        if (request.method === 'OPTIONS' || UNLIMITED_PATHS.includes(url.pathname) || url.pathname.startsWith('/graphiql/assets/')) return;
        const address = clientAddress(request, serverContext, trustProxy);
        const ipRefusal = await consume(byIp, address);
        if (ipRefusal) {
          logger.warn({ requestId: currentRequestId(), limit: 'per client address' }, 'rate limited');
          return endResponse(refuse('per client address', perIp, ipRefusal));
        }
        const secret = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
        if (!secret) return;
        const keyRefusal = await consume(byKey, createHash('sha256').update(secret).digest('hex'));
        if (keyRefusal) {
          logger.warn({ requestId: currentRequestId(), limit: 'per API key' }, 'rate limited');
          return endResponse(refuse('per API key', perKey, keyRefusal));
        }
      },
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
