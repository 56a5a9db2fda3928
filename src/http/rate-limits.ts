// Rate limits per API key and per client address. Every request counts once on arrival, and a
// batch of N operations (a JSON array) counts N: batching must not multiply what a client may
// ask for. The local operator (src/auth/local-operator.ts) is not counted, so a flood from
// 127.0.0.1 cannot lock the operator out of revoking the key behind it.
import { createHash } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { connectRedis } from '../redis.js';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { bearerSecret } from '../auth/keys.js';
import type { Config } from '../config.js';
import { socketAddress } from './access.js';
import { refusal } from './error-codes.js';
import { currentRequestId } from './hardening.js';

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
    const last = forwarded
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    if (last) return last;
  }
  return socketAddress(serverContext) ?? 'unknown';
}

/** Requests the limits do not count: the local operator's. */
export type RateLimitExemption = (request: Request, serverContext: unknown) => boolean;

/**
 * Requests per window per API key (the key's hash: the secret is never kept) and per client
 * address, counted in memory, or in Redis when REDIS_URL is set so that every instance shares
 * the counts (with the in-memory counter as a stand-in while Redis is unreachable). A refused
 * request gets 429, `Retry-After` and a GraphQL error naming the limit.
 */
export function rateLimits(config: Pick<Config, 'rateLimit' | 'redisUrl'>, logger: Logger, exempt: RateLimitExemption): RateLimits {
  const { perKey, perIp, windowSeconds, trustProxy } = config.rateLimit;
  const redis = config.redisUrl
    ? connectRedis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'claims-gateway-rate-limit' })
    : null;
  redis?.on('error', (error) => logger.warn({ err: { message: error.message } }, 'rate-limit store (Redis) unreachable: counting in memory meanwhile'));
  const limiter = (name: string, points: number): RateLimiterAbstract => {
    const options = { keyPrefix: `rate-limit:${name}`, points, duration: windowSeconds };
    const memory = new RateLimiterMemory(options);
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory }) : memory;
  };
  const byKey = limiter('key', perKey);
  const byIp = limiter('ip', perIp);

  /** The refusal as GraphQL carries it: 429 with `Retry-After` and the limit named. */
  const rateLimited = (limit: string, points: number, result: RateLimiterRes) => {
    const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
    logger.warn({ requestId: currentRequestId(), limit }, 'rate limited');
    return refusal('RATE_LIMITED', `Rate limit exceeded: at most ${points} requests per ${windowSeconds} s ${limit}. Retry after ${retryAfter} s.`, {
      extensions: { limit, limitRequests: points, windowSeconds, retryAfterSeconds: retryAfter },
      headers: { 'retry-after': String(retryAfter), 'ratelimit-limit': String(points), 'ratelimit-remaining': '0', 'ratelimit-reset': String(retryAfter) },
    });
  };
  const asResponse = (error: GraphQLError) => {
    const { http, ...extensions } = error.extensions as { http: { status: number; headers: Record<string, string> } };
    return Response.json({ errors: [{ message: error.message, extensions }] }, { status: http.status, headers: http.headers });
  };

  const consume = async (limiter: RateLimiterAbstract, key: string, points: number): Promise<RateLimiterRes | null> => {
    try {
      await limiter.consume(key, points);
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return rejection;
      logger.error({ err: rejection }, 'rate limiter failed: request let through');
      return null;
    }
  };

  /** Counts `points` against the client's address and its key; the refusal if either is over. */
  const count = async (request: Request, serverContext: unknown, points: number): Promise<GraphQLError | null> => {
    const ipRefusal = await consume(byIp, clientAddress(request, serverContext, trustProxy), points);
    if (ipRefusal) return rateLimited('per client address', perIp, ipRefusal);
    const secret = bearerSecret(request);
    if (!secret) return null;
    const keyRefusal = await consume(byKey, createHash('sha256').update(secret).digest('hex'), points);
    return keyRefusal ? rateLimited('per API key', perKey, keyRefusal) : null;
  };

  const counted = new WeakMap<Request, unknown>();
  return {
    plugin: {
      async onRequest({ request, url, serverContext, endResponse }) {
        if (request.method === 'OPTIONS' || UNLIMITED_PATHS.includes(url.pathname) || url.pathname.startsWith('/graphiql/assets/')) return;
        if (exempt(request, serverContext)) return;
        counted.set(request, serverContext);
        const refused = await count(request, serverContext, 1);
        if (refused) endResponse(asResponse(refused));
      },
      // A batch counts once per operation: the request above counted the first.
      onRequestParse({ request }) {
        if (!counted.has(request)) return;
        return {
          async onRequestParseDone({ requestParserResult }) {
            if (!Array.isArray(requestParserResult) || requestParserResult.length < 2) return;
            const refused = await count(request, counted.get(request), requestParserResult.length - 1);
            if (refused) throw refused;
          },
        };
      },
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
