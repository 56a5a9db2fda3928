// Who is calling, and whether they may use the path they ask for: decided once per request,
// before any route runs. GraphQL's fields carry their own scopes (src/schema/builder.ts); every
// other path is a read unless it is listed here as open, so a route added later (charts, pages)
// is closed with PUBLIC_READS=false without having to remember it.
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { authenticate, bearerSecret, mayRead, type Caller } from '../auth/keys.js';
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
}

/**
 * The holder of the API key in `Authorization: Bearer <key>`, the local operator (see
 * src/auth/local-operator.ts), or nobody.
 */
export function requestCallers(db: Database, localOperator: LocalOperatorCheck): RequestCallers {
  const addresses = new WeakMap<Request, string | undefined>();
  const callers = new WeakMap<Request, Promise<Caller | null>>();
  async function callerOf(request: Request): Promise<Caller | null> {
    if (!request.headers.has('authorization')) return null;
    const local = localOperator(request, addresses.get(request));
    if (local === 'operator') return LOCAL_OPERATOR;
    if (local === 'refused') {
      throw refused('The local command line\'s token is accepted only on a direct connection from this machine (loopback, no proxy)', 'UNAUTHENTICATED');
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
        caller = callerOf(request);
        callers.set(request, caller);
      }
      return caller;
    },
  };
}

/**
 * Paths anyone may use whatever PUBLIC_READS says, because they hold no data: liveness,
 * readiness, GraphiQL's assets, and `/graphql` itself (GraphiQL's page, introspection; every
 * Query and Subscription field needs the `read` scope there).
 */
const OPEN_PATHS = ['/health', '/ready', '/graphql'];
const isOpen = (path: string) => OPEN_PATHS.includes(path) || path.startsWith('/graphiql/assets/');

/**
 * Every other path (exports, charts, pages) reads data: with PUBLIC_READS=false it needs a key
 * with READ, and a request without one is refused with 401 (403 for a key without the scope)
 * before the route runs. A bad key is refused on every path, as GraphQL refuses it.
 */
export function routeAccess(publicReads: boolean, callerOf: (request: Request) => Promise<Caller | null>, logger: Logger): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method === 'OPTIONS' || isOpen(url.pathname)) return;
      try {
        const caller = await callerOf(request);
        if (mayRead(caller, publicReads)) return;
        throw caller
          ? refused(`The API key "${caller.name}" (${caller.scopes.join(', ')}) may not read ${url.pathname}: reading needs the READ scope`, 'FORBIDDEN')
          : refused(`${url.pathname} needs an API key with the READ scope on this gateway (PUBLIC_READS=false): send "Authorization: Bearer <key>"`, 'UNAUTHENTICATED');
      } catch (error) {
        endResponse(errorResponse(error, logger));
      }
    },
  };
}
