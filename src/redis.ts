// Connections to Redis (REDIS_URL: the shared live feed, rate limits and response cache). ioredis
// is loaded by the first connection, not by every start (~0.35 s of one), and synchronously: the
// stores that connect are made synchronously, and ioredis is CommonJS (one copy either way).
import { createRequire } from 'node:module';
import type * as IoRedis from 'ioredis';
import type { Redis, RedisOptions } from 'ioredis';

export function connectRedis(url: string, options: RedisOptions): Redis {
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof IoRedis;
  return new Redis(url, options);
}
