// The Redis server that tests of shared state use (TEST_REDIS_URL, default the local one). Without
// one those tests are skipped, except under CI=true, where they must run.
import { Redis } from 'ioredis';

export const redisUrl = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Whether Redis answers; throws under CI=true when it does not. */
export async function redisAvailable(purpose: string): Promise<boolean> {
  const probe = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  let up = false;
  try {
    await probe.connect();
    up = (await probe.ping()) === 'PONG';
  } catch {
    up = false;
  } finally {
    probe.disconnect();
  }
  if (!up && process.env.CI === 'true') throw new Error(`CI=true but Redis at ${redisUrl} is not reachable: ${purpose} must run in CI (see .ci/run)`);
  if (!up) console.warn(`Skipping ${purpose}: no Redis at ${redisUrl} (start one, or set TEST_REDIS_URL)`);
  return up;
}
