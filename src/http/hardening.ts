// Abuse limits and HTTP hygiene for the gateway, each a yoga plugin built on a maintained
// library where one exists: structured logs and a request id on every response, security
// headers, body-size and time limits. What a query may ask for is in query-limits.ts, rate
// limits in rate-limits.ts, error masking in errors.ts.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { GraphQLError, Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';
import { readingFrom, type Context } from '../context.js';
import { withSqlStatementLog, type SqlStatementCount } from '../db/sql-statements.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { refusal } from './error-codes.js';

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

/** What is known of the request being handled, for its log lines and its access-log line. */
export interface RequestRecord {
  id: string;
  /** SQL statements sent for the request so far (authentication, routes and GraphQL alike). */
  sqlStatements: SqlStatementCount;
  /** The names of the operations it ran (`anonymous` for an unnamed one), in order. */
  operations: string[];
}

const requestScope = new AsyncLocalStorage<RequestRecord>();

/** The request being handled, or undefined outside one. */
export const currentRequest = (): RequestRecord | undefined => requestScope.getStore();

/** The id of the request being handled, or null outside one. */
export const currentRequestId = (): string | null => requestScope.getStore()?.id ?? null;

/** A client's or proxy's own request id is kept when it is short and plain (no spaces, quotes or control characters). */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:+=/-]{1,128}$/;

/** The request's `X-Request-Id` when it is acceptable, else a new UUID. */
export function requestIdOf(request: Request): string {
  const sent = request.headers.get('x-request-id');
  return sent && ACCEPTED_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * Gives every request an id (the client's `X-Request-Id` when acceptable, else a new one): in
 * scope for everything the request runs (logs, masked errors, the SQL statement count) and sent
 * back as `X-Request-Id`. Also sets the security headers.
 */
export function requestIdentity(graphiqlScriptHashes: Set<string>): Plugin {
  return {
    instrumentation: {
      request: ({ request }, wrapped) => {
        const record: RequestRecord = { id: requestIdOf(request), sqlStatements: { count: 0 }, operations: [] };
        return requestScope.run(record, () => withSqlStatementLog(record.sqlStatements, wrapped));
      },
    },
    onResponse({ response }) {
      const id = currentRequestId();
      if (id) response.headers.set('x-request-id', id);
      setSecurityHeaders(response, graphiqlScriptHashes);
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

// ---------------------------------------------------------------------------------------------
// Body size

function payloadTooLarge(maxBytes: number): GraphQLError {
  return refusal(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than ${maxBytes} bytes (MAX_BODY_BYTES): send a smaller document, or register it as a persisted operation`,
    {
      extensions: { limit: maxBytes },
    },
  );
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
  refusal(
    'TIMEOUT',
    `The query took longer than ${ms} ms (REQUEST_TIMEOUT_MS) and was stopped: ask for less (smaller pages, fewer nested lists) or narrow the filter`,
    {
      extensions: { limitMs: ms },
    },
  );

/** The refusal of a request that ran out of time: final, not to be tried again another way. */
export const isRequestTimeout = (error: unknown): boolean => error instanceof GraphQLError && error.extensions.code === 'TIMEOUT';

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
 * already running finishes (and commits) or fails whole. An answer in parts (`@defer`,
 * `@stream`) has one deadline for all its parts: the parts sent stay sent, and the answer ends
 * with a part holding the TIMEOUT error.
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
        const finish = () => {
          clearTimeout(timer);
          controller.abort();
        };
        let streaming = false;
        try {
          const result = await Promise.race([executeFn(executeArgs), timeout]);
          // Cut short by the deadline (a database call refused): the answer is the timeout alone,
          // never partial data. A complete answer is sent even when it ends a little late (a busy
          // event loop can fire the timer after the work is done): the deadline stops work, it
          // never discards what is done.
          if (!isAsyncIterable(result) && result.errors?.some((error: GraphQLError) => error.extensions?.code === 'TIMEOUT'))
            return { errors: [timeoutError(ms)] };
          streaming = isAsyncIterable(result);
          return streaming ? partsUntil(result as AsyncIterable<object>, timeout, finish) : result;
        } finally {
          if (!streaming) finish();
        }
      });
    },
  };
}

/** The parts of an answer until `timeout` settles (then a last part with its errors); `finish` when done. */
async function* partsUntil(parts: AsyncIterable<object>, timeout: Promise<{ errors: GraphQLError[] }>, finish: () => void): AsyncGenerator<object> {
  const iterator = parts[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), timeout]);
      if ('errors' in next) {
        yield { hasNext: false, errors: next.errors };
        return;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    finish();
    void iterator.return?.();
  }
}
