import type { Redis } from 'ioredis';
import { parseRecord, parseSnapshot, type RolloutChange, type RolloutRecord } from './record.js';
import { openRedis } from './redis-client.js';
import { nextRecord, RolloutConflictError, type RolloutStore } from './store.js';

/**
 * Options of {@link createRedisStore}: a URL or a client of your own, and the key prefix.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { url: 'redis://cache:6379', prefix: 'bucketry:prod:' };
 * ```
 */
export interface RedisStoreOptions {
  readonly url?: string;
  /** Your client (not closed by `close`); the subscriber is its `duplicate()`. */
  readonly redis?: Redis;
  /** Every key and the channel start with it. Default `bucketry:`. */
  readonly prefix?: string;
}

// Atomically: compare the version, write the record, append the history entry, publish.
// The record and the entry are built as text around the version (Lua re-encodes only a full config the record carries).
const WRITE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
local found = 0
local config = ''
if current then
  local previous = cjson.decode(current)
  found = previous.version
  if type(previous.config) == 'table' then config = ',"config":' .. cjson.encode(previous.config) end
end
local expected = tonumber(ARGV[2])
if ARGV[3] ~= '1' and expected >= 0 and expected ~= found then return {0, current or ''} end
local version = found + 1
local record = '{"version":' .. version .. config .. ',' .. string.sub(ARGV[4], 2)
redis.call('HSET', KEYS[1], ARGV[1], record)
redis.call('RPUSH', KEYS[2], '{"version":' .. version .. ',"previous":' .. (current or 'null') .. ',' .. string.sub(ARGV[5], 2))
redis.call('PUBLISH', KEYS[3], ARGV[1])
return {1, current or ''}
`;

/**
 * A rollout store in Redis: under the prefix, one hash `<prefix>rollouts` holds the set (a field
 * per experiment, its record as JSON), a list `<prefix>history:<experiment>` each change, and the
 * channel `<prefix>changes` announces them. A write is one Lua script (compare, write, append,
 * publish), so two writers never interleave. Pub/sub is fire-and-forget: after its subscriber
 * reconnects, the source re-reads the hash.
 *
 * @example
 * ```ts
 * import { createRedisStore, createStoreSource } from '@bucketry/live';
 *
 * const store = createRedisStore({ url: process.env.REDIS_URL, prefix: 'bucketry:prod:' });
 * const source = createStoreSource(bucketry, store, { base });
 * await source.start();
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): RolloutStore {
  const prefix = options.prefix ?? 'bucketry:';
  if (typeof prefix !== 'string') throw new TypeError(`prefix must be a string, got ${typeof prefix}`);
  const keys = { rollouts: `${prefix}rollouts`, channel: `${prefix}changes`, history: (experiment: string) => `${prefix}history:${experiment}` };
  const redis = options.redis ?? openRedis(options.url);
  const record = (experiment: string, text: string): RolloutRecord => parseRecord(`rollouts.${experiment}`, JSON.parse(text));

  return {
    kind: 'redis',
    async read() {
      const fields = await redis.hgetall(keys.rollouts);
      const rollouts: Record<string, unknown> = {};
      for (const [experiment, text] of Object.entries(fields)) {
        try {
          rollouts[experiment] = JSON.parse(text);
        } catch {
          rollouts[experiment] = text; // parseSnapshot names it
        }
      }
      return parseSnapshot({ rollouts });
    },
    async write(experiment, change) {
      // The script puts the version (and a config the record carries) in front of these fields.
      const fields = { rollout: change.rollout, enabled: change.enabled, updatedAt: change.at, actor: change.actor, phase: change.phase, reason: change.reason };
      const entry = { experiment, at: change.at, actor: change.actor, to: { rollout: change.rollout, enabled: change.enabled }, phase: change.phase, reason: change.reason };
      const [ok, current] = (await redis.eval(
        WRITE, 3, keys.rollouts, keys.history(experiment), keys.channel,
        experiment, String(change.expectedVersion ?? -1), change.force ? '1' : '0', JSON.stringify(fields), JSON.stringify(entry),
      )) as [number, string];
      const previous = current ? record(experiment, current) : null;
      if (!ok) throw new RolloutConflictError(experiment, change.expectedVersion!, previous);
      return { record: nextRecord(change, previous), previous };
    },
    async history(experiment) {
      const entries = await redis.lrange(keys.history(experiment), 0, -1);
      return entries.map((text): RolloutChange => {
        const { previous, ...entry } = JSON.parse(text) as RolloutChange & { previous: RolloutRecord | null };
        return { ...entry, from: previous && { rollout: previous.rollout, enabled: previous.enabled } };
      });
    },
    watch(onChange, onError) {
      // Named, so an operator (or a test) can find it in CLIENT LIST.
      const subscriber = redis.duplicate({ maxRetriesPerRequest: null, connectionName: `bucketry-live-sub:${prefix.replace(/[^\w:.-]/g, '_')}` });
      let reported = false;
      subscriber.on('error', (error) => {
        if (!reported) onError(error); // once per outage: ioredis retries on its own
        reported = true;
      });
      // On every (re)connection: pub/sub messages sent meanwhile are lost, so read again.
      subscriber.on('ready', () => {
        reported = false;
        onChange();
      });
      subscriber.on('message', () => onChange());
      subscriber.subscribe(keys.channel).catch(onError);
      return async () => void subscriber.disconnect();
    },
    close: async () => {
      if (!options.redis) redis.disconnect();
    },
  };
}
