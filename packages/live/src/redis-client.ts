import { Redis } from 'ioredis';

/**
 * The client a Redis store opens when it is given none. Commands fail after one reconnection
 * attempt instead of queueing while Redis is unreachable (the source retries with backoff, the
 * sticky store skips loads and retries batches), and a connection error is reported by the
 * command that fails, not raised as an unhandled 'error' event.
 */
export function openRedis(url = 'redis://127.0.0.1:6379'): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  redis.on('error', () => {});
  return redis;
}
