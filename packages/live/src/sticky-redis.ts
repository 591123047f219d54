import { ExperimentConfigError } from '@bucketry/core';
import type { Redis } from 'ioredis';
import { openRedis } from './redis-client.js';
import { stickySettings, type LiveStickyStore, type StickyStoreOptions } from './sticky-options.js';
import type { StickyWrite } from './sticky-queue.js';
import { createStickyStore, type StickyRecord } from './sticky-store.js';

/**
 * Options of {@link createRedisStickyStore}: a URL or a client of your own, the key prefix, an
 * optional TTL, and what every sticky store takes ({@link StickyStoreOptions}).
 *
 * @example
 * ```ts
 * const options: RedisStickyStoreOptions = { url: 'redis://cache:6379', prefix: 'app:sticky:', ttl: 90 * 24 * 3600 };
 * ```
 */
export interface RedisStickyStoreOptions extends StickyStoreOptions {
  readonly url?: string;
  /** Your client (not closed by `close`). */
  readonly redis?: Redis;
  /** A unit's hash is `<prefix><unit key>`. Default `bucketry:sticky:`. */
  readonly prefix?: string;
  /** Seconds after a unit's last new record at which its hash expires. Default: never. */
  readonly ttl?: number;
}

// Every unit's hash in one command: one round trip per load, however many units and experiments.
const LOAD = `
local found = {}
for i = 1, #KEYS do found[i] = redis.call('HGETALL', KEYS[i]) end
return found`;

// One command per batch. ARGV[1] is the TTL (0: none), then four per key: field, value, whether the
// record replaces a variant ('1'/'0'), that variant. A record is written where the hash has none
// for the experiment, or over the variant it replaces (compare-and-set); otherwise the hash keeps its own.
const WRITE = `
local ttl = tonumber(ARGV[1])
local written = 0
for i = 1, #KEYS do
  local at = 2 + (i - 1) * 4
  local field, value = ARGV[at], ARGV[at + 1]
  local ok
  if ARGV[at + 2] == '0' then
    ok = redis.call('HSETNX', KEYS[i], field, value) == 1
  else
    local current = redis.call('HGET', KEYS[i], field)
    ok = not current
    if current then
      local decoded, record = pcall(cjson.decode, current)
      ok = decoded and type(record) == 'table' and record.variant == ARGV[at + 3]
    end
    if ok then redis.call('HSET', KEYS[i], field, value) end
  end
  if ok then written = written + 1 end
  if ttl > 0 then redis.call('EXPIRE', KEYS[i], ttl) end
end
return written`;

const CONTEXT = 'createRedisStickyStore';

/**
 * Sticky assignments in Redis: one hash per unit, `<prefix><unit key>`, a field per experiment
 * whose value is the record as JSON (`{"variant":"list","configVersion":"…","assignedAt":"…"}`),
 * optionally expiring `ttl` seconds after the unit's last new record. `await sticky.load(unit)`
 * before assigning reads the hashes of a request's units with one command into an LRU cache,
 * which also serves the unit's later requests with none; `get` and `set` work on the cache;
 * records set are written in batches by one script per batch, only where the hash has none for
 * the experiment or over the variant this instance loaded. When Redis is down, `load` resolves
 * within `loadTimeout` with nothing loaded and units are bucketed plainly; failed batches are
 * retried with backoff; everything is reported to `onError` and counted in `stats()`.
 *
 * @example
 * ```ts
 * import { createBucketry } from '@bucketry/core';
 * import { createRedisStickyStore, flushOnSignal } from '@bucketry/live';
 *
 * const sticky = createRedisStickyStore({ url: process.env.REDIS_URL, ttl: 90 * 24 * 3600 });
 * const bucketry = createBucketry({ experiments, sticky });
 * flushOnSignal([sticky, bucketry]);
 *
 * await sticky.load(userId);                                  // one command, before assigning
 * const { variant } = bucketry.assign('skill_tree_layout', userId);
 * ```
 */
export function createRedisStickyStore(options: RedisStickyStoreOptions): LiveStickyStore {
  if (options === null || typeof options !== 'object') throw new ExperimentConfigError('options', options, 'must be an object', CONTEXT);
  const settings = stickySettings(options, CONTEXT, 'redis');
  const prefix = options.prefix ?? 'bucketry:sticky:';
  if (typeof prefix !== 'string') throw new ExperimentConfigError('prefix', prefix, 'must be a string', CONTEXT);
  const ttl = options.ttl ?? 0;
  if (options.ttl !== undefined && !(Number.isSafeInteger(ttl) && ttl >= 1)) {
    throw new ExperimentConfigError('ttl', options.ttl, 'must be a whole number of seconds >= 1 when given', CONTEXT);
  }
  if (options.redis !== undefined && options.url !== undefined) {
    throw new ExperimentConfigError('url', options.url, 'must not be given with a client (redis): give one of them', CONTEXT);
  }
  const redis = options.redis ?? openRedis(options.url);

  const load = async (units: readonly string[]): Promise<StickyRecord[]> => {
    const hashes = (await redis.eval(LOAD, units.length, ...units.map((unit) => prefix + unit))) as string[][];
    const records: StickyRecord[] = [];
    const unreadable: string[] = [];
    units.forEach((unit, i) => {
      const fields = hashes[i] ?? [];
      for (let at = 0; at + 1 < fields.length; at += 2) {
        const variant = variantIn(fields[at + 1]!);
        if (variant === undefined) unreadable.push(`${prefix}${unit} ${fields[at]!}`);
        else records.push({ unit, experiment: fields[at]!, variant });
      }
    });
    if (unreadable.length > 0) {
      settings.report(new Error(`${unreadable.length} sticky record(s) ignored: not JSON with a string "variant" (${unreadable.slice(0, 3).join(', ')})`), {
        store: 'redis', stage: 'load', records: unreadable.length,
      });
    }
    return records;
  };

  const write = async (batch: readonly StickyWrite[]): Promise<number> => {
    const args: string[] = [String(ttl)];
    for (const { experiment, variant, configVersion, assignedAt, replaces } of batch) {
      args.push(experiment, JSON.stringify({ variant, configVersion, assignedAt: assignedAt.toISOString() }), replaces === undefined ? '0' : '1', replaces ?? '');
    }
    return Number(await redis.eval(WRITE, batch.length, ...batch.map((record) => prefix + record.unit), ...args));
  };

  const close = async (): Promise<void> => {
    if (options.redis) return;
    if (redis.status === 'ready') await redis.quit();
    else redis.disconnect();
  };

  return createStickyStore({ kind: 'redis', load, write, close }, settings);
}

function variantIn(text: string): string | undefined {
  try {
    const record: unknown = JSON.parse(text);
    const variant = (record as { variant?: unknown } | null)?.variant;
    return typeof variant === 'string' ? variant : undefined;
  } catch {
    return undefined;
  }
}
