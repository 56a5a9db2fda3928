// Whole answers to queries, kept per caller for RESPONSE_CACHE_TTL_MS and served without running
// the operation (no SQL). Answers such as discrepancies, totals, estimates and search derive from
// many rows, so a write cannot name the answers it makes stale. Instead every write starts a new
// *generation*: keys carry the generation current when the request arrived, and only answers of
// the current generation are served. With REDIS_URL the answers and the generation live in Redis
// (@envelop/response-cache-redis), so the instances share them and a write through any instance
// retires every instance's answers before the write's response is sent.
import { createHash, randomBytes } from 'node:crypto';
import { createRedisCache } from '@envelop/response-cache-redis';
import { createInMemoryCache, useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { connectRedis } from '../redis.js';
import type { Logger } from 'pino';
import type { Caller } from '../auth/keys.js';
import type { Config, DatabaseTarget } from '../config.js';

/** Answers kept by one instance without Redis (least recently used go first). */
const MAX_ANSWERS_IN_MEMORY = 1000;

/** Where answers and the current generation are kept. */
interface AnswerStore {
  /** Answers by key. */
  answers: Cache;
  /** The current generation, or null when the store cannot be reached (the cache is then bypassed). */
  generation(): Promise<string | null>;
  /** Retires every answer kept so far. */
  bump(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A new generation: unique, and stamped with when the write that started it ran (milliseconds,
 * after a dot; no colon, which separates a key's parts).
 */
const newGenerationToken = (writtenAt = Date.now()) => `${randomBytes(8).toString('hex')}.${writtenAt}`;

/** When the write that started `generation` ran, or 0 when unknown (an answer may then be kept). */
const startedAt = (generation: string) => Number(generation.split('.')[1]) || 0;

function memoryStore(): AnswerStore {
  let generation = newGenerationToken(0); // no write yet
  let answers = createInMemoryCache({ max: MAX_ANSWERS_IN_MEMORY });
  return {
    answers: {
      get: (key) => answers.get(key),
      set: (key, result, entities, ttl) => answers.set(key, result, entities, ttl),
      invalidate: () => {},
    },
    generation: async () => generation,
    async bump() {
      generation = newGenerationToken();
      answers = createInMemoryCache({ max: MAX_ANSWERS_IN_MEMORY }); // frees the retired answers
    },
    close: async () => {},
  };
}

/**
 * Answers (with their TTL) and the generation in Redis. A generation is a random token rather than
 * a counter, so a Redis that lost the key (restart, eviction) starts a generation no old answer has.
 * Redis being unreachable never fails a request: reads bypass the cache, and a write whose new
 * generation could not be stored keeps this instance bypassing until it is.
 */
function redisStore(url: string, prefix: string, logger: Logger): AnswerStore {
  const redis = connectRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'claims-gateway-response-cache' });
  const generationKey = `${prefix}:generation`;
  const newGeneration = () => redis.set(generationKey, newGenerationToken());
  let owed = false; // a bump that did not reach Redis
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: { message: error.message } }, 'response cache (Redis) unreachable: answering from the database meanwhile');
  });
  redis.on('ready', () => {
    down = false;
    if (owed)
      newGeneration().then(
        () => (owed = false),
        () => {},
      );
  });
  return {
    answers: createRedisCache({ redis }),
    async generation() {
      try {
        if (owed) {
          await newGeneration();
          owed = false;
        }
        const current = await redis.get(generationKey);
        if (current !== null) return current;
        await redis.set(generationKey, newGenerationToken(0), 'NX'); // no write yet; unless another instance just set it
        return await redis.get(generationKey);
      } catch {
        return null;
      }
    },
    async bump() {
      try {
        await newGeneration();
      } catch (error) {
        owed = true;
        logger.warn(
          { err: { message: (error as Error).message } },
          'response cache: a write could not retire the cached answers in Redis; this instance bypasses the cache until it can',
        );
      }
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Whose answer it is: an API key's, the local command line's, or anyone's without a key. */
function sessionOf(caller: Caller | null): string {
  if (!caller) return 'anonymous';
  return caller.apiKeyId === null ? 'local' : `key:${caller.apiKeyId}`;
}

/** The key's generation part stands for "not cached" when the store could not be reached. */
const BYPASS = 'bypass';

/**
 * The response-cache plugins for the configuration (none when RESPONSE_CACHE_TTL_MS is 0). Must
 * come after the plugins that refuse requests or resolve persisted operations in `onParams`: a
 * cached answer is sent from there.
 */
export function responseCache(
  config: Pick<Config, 'responseCache' | 'redisUrl' | 'reportSqlStatements'>,
  /** The database the gateway reads: with replicas, answers wait for them to catch up. */
  database: DatabaseTarget,
  callerOf: (request: Request) => Promise<Caller | null>,
  logger: Logger,
): Plugin[] {
  const { ttlMs, keyPrefix, replicaLagMs } = config.responseCache;
  if (ttlMs === 0) return [];
  // Queries read from replicas, which may lag behind the primary: right after a write an answer
  // may miss it, so none is kept until the replicas have had time to catch up.
  const settleMs = database.kind === 'postgres' && database.replicaUrls?.length ? replicaLagMs : 0;
  const store = config.redisUrl ? redisStore(config.redisUrl, keyPrefix, logger) : memoryStore();
  const generationOf = (key: string): string | null => {
    const generation = key.startsWith(`${keyPrefix}:`) ? key.slice(keyPrefix.length + 1).split(':')[0]! : BYPASS;
    return generation === BYPASS ? null : generation;
  };

  // Also asked directly with a client's `If-None-Match` (an ETag is a key): a key of a retired
  // generation must not get a 304.
  const answers: Cache = {
    async get(key) {
      const generation = generationOf(key);
      if (generation === null) return undefined;
      try {
        const [answer, current] = await Promise.all([store.answers.get(key), store.generation()]);
        if (!answer || current !== generation) return undefined;
        // The operation did not run, so no SQL statement did.
        return config.reportSqlStatements ? { ...answer, extensions: { ...answer.extensions, sqlStatements: 0 } } : answer;
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message } }, 'response cache: reading an answer failed; answering from the database');
        return undefined;
      }
    },
    async set(key, result, _entities, ttl) {
      try {
        // The entities an answer touched are not tracked: generations retire answers instead.
        await store.answers.set(key, result, [], ttl);
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message } }, 'response cache: storing an answer failed');
      }
    },
    invalidate: () => {},
  };

  /** Every mutation retires the cached answers once it has run (committed or not), before its response goes out. */
  const retireOnWrite: Plugin = {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      setExecuteFn(async (executeArgs) => {
        try {
          return await executeFn(executeArgs);
        } finally {
          await store.bump();
        }
      });
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          // Not the entities the library would name: everything cached was retired.
          setResult({ ...result, extensions: { ...result.extensions, responseCache: { hit: false, didCache: false } } });
        },
      };
    },
  };

  return [
    useResponseCache({
      session: async (request) => sessionOf(await callerOf(request)),
      ttl: ttlMs,
      cache: answers,
      idFields: [], // no entity tracking: nothing is invalidated by id
      includeExtensionMetadata: true,
      async buildResponseCacheKey({ documentString, operationName, variableValues, sessionId }) {
        const generation = (await store.generation()) ?? BYPASS;
        const hash = createHash('sha256')
          .update(JSON.stringify([documentString, operationName ?? '', variableValues ?? {}, sessionId ?? '']))
          .digest('base64url');
        return `${keyPrefix}:${generation}:${hash}`;
      },
      shouldCacheResult: ({ cacheKey, result }) => {
        const generation = generationOf(cacheKey);
        if (generation === null || result.errors?.length) return false;
        return Date.now() - startedAt(generation) >= settleMs;
      },
    }),
    retireOnWrite,
    { onDispose: () => store.close() },
  ];
}
