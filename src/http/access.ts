// Who is calling, and whether they may use the path they ask for: decided once per request,
// before any route runs. GraphQL's fields carry their own scopes (src/schema/builder.ts); every
// other path is a read unless it is listed here as open, so a route added later (charts, pages)
// is closed with PUBLIC_READS=false without having to remember it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { authenticate, bearerSecret, hasScope, mayRead, type Caller } from '../auth/keys.js';
import { LOCAL_OPERATOR, type LocalOperatorCheck } from '../auth/local-operator.js';
import type { Database } from '../db/database.js';
import { refusal } from './error-codes.js';
import { errorResponse } from './errors.js';

/** The address of the connection's other end (not X-Forwarded-For). */
export function socketAddress(serverContext: unknown): string | undefined {
  return (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress;
}

const refused = (message: string, code: 'UNAUTHENTICATED' | 'FORBIDDEN') => refusal(code, message);

export interface RequestCallers {
  /** Records each request's connection, for the local operator's loopback check. Goes first. */
  plugin: Plugin;
  /** The caller of a request, authenticated once; rejects with UNAUTHENTICATED for a bad key. */
  of(request: Request): Promise<Caller | null>;
  /** The caller once `of` has found them (for the access log); undefined before, or for a bad key. */
  known(request: Request): Caller | null | undefined;
}

/**
 * The holder of the API key in `Authorization: Bearer <key>`, the local operator (see
 * src/auth/local-operator.ts), or nobody.
 */
export function requestCallers(db: Database, localOperator: LocalOperatorCheck): RequestCallers {
  const addresses = new WeakMap<Request, string | undefined>();
  const callers = new WeakMap<Request, Promise<Caller | null>>();
  const known = new WeakMap<Request, Caller | null>();
  async function callerOf(request: Request): Promise<Caller | null> {
    if (!request.headers.has('authorization')) return null;
    const local = localOperator(request, addresses.get(request));
    if (local === 'operator') return LOCAL_OPERATOR;
    if (local === 'refused') {
      throw refused("The local command line's token is accepted only on a direct connection from this machine (loopback, no proxy)", 'UNAUTHENTICATED');
    }
    const secret = bearerSecret(request);
    const caller = secret ? await authenticate(db.prisma, secret) : null;
    if (!caller) throw refused('The API key is not valid: unknown, revoked, or not sent as "Authorization: Bearer <key>"', 'UNAUTHENTICATED');
    return caller;
  }
  return {
    plugin: {
      onRequest({ request, serverContext }) {
        addresses.set(request, socketAddress(serverContext));
      },
    },
    of(request) {
      let caller = callers.get(request);
      if (!caller) {
        caller = callerOf(request).then((found) => {
          known.set(request, found);
          return found;
        });
        callers.set(request, caller);
      }
      return caller;
    },
    known: (request) => known.get(request),
  };
}

/**
 * Paths anyone may use whatever PUBLIC_READS says, because they hold no data: liveness,
 * readiness, GraphiQL's assets, and `/graphql` itself (GraphiQL's page, introspection; every
 * Query and Subscription field needs the `read` scope there).
 */
const OPEN_PATHS = ['/health', '/ready', '/graphql'];
const isOpen = (path: string) => OPEN_PATHS.includes(path) || path.startsWith('/graphiql/assets/');

/** The operators' figures (src/http/metrics.ts): what the gateway does and who calls it, not for the public. */
export const METRICS_PATH = '/metrics';

const sameSecret = (sent: string, expected: string) => {
  const digest = (secret: string) => createHash('sha256').update(secret).digest();
  return timingSafeEqual(digest(sent), digest(expected));
};

/**
 * `/metrics` is for the operator: `Authorization: Bearer <METRICS_TOKEN>` (for a Prometheus
 * scraper, which should hold no API key), an ADMIN key, or the local command line's token.
 */
async function mayReadMetrics(request: Request, metricsToken: string | null, callerOf: (request: Request) => Promise<Caller | null>): Promise<void> {
  const secret = bearerSecret(request);
  if (metricsToken && secret && sameSecret(secret, metricsToken)) return;
  const caller = await callerOf(request);
  if (hasScope(caller, 'ADMIN')) return;
  throw caller
    ? refused(
        `The API key "${caller.name}" (${caller.scopes.join(', ')}) may not read ${METRICS_PATH}: it needs the ADMIN scope (or send METRICS_TOKEN)`,
        'FORBIDDEN',
      )
    : refused(`${METRICS_PATH} is for operators: send "Authorization: Bearer <METRICS_TOKEN>" or an ADMIN key`, 'UNAUTHENTICATED');
}

/**
 * Every other path (exports, charts, pages) reads data: with PUBLIC_READS=false it needs a key
 * with READ, and a request without one is refused with 401 (403 for a key without the scope)
 * before the route runs. A bad key is refused on every path, as GraphQL refuses it. `/metrics`
 * has its own rule (above), whatever PUBLIC_READS says.
 */
export function routeAccess(
  options: { publicReads: boolean; metricsToken: string | null },
  callerOf: (request: Request) => Promise<Caller | null>,
  logger: Logger,
): Plugin {
  const { publicReads, metricsToken } = options;
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method === 'OPTIONS' || isOpen(url.pathname)) return;
      try {
        if (url.pathname === METRICS_PATH) return await mayReadMetrics(request, metricsToken, callerOf);
        const caller = await callerOf(request);
        if (mayRead(caller, publicReads)) return;
        throw caller
          ? refused(`The API key "${caller.name}" (${caller.scopes.join(', ')}) may not read ${url.pathname}: reading needs the READ scope`, 'FORBIDDEN')
          : refused(
              `${url.pathname} needs an API key with the READ scope on this gateway (PUBLIC_READS=false): send "Authorization: Bearer <key>"`,
              'UNAUTHENTICATED',
            );
      } catch (error) {
        endResponse(errorResponse(error, logger));
      }
    },
  };
}
