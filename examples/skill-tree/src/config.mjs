// Reads the example's settings from the environment once, at start-up. Anything invalid stops
// start-up with a message naming the variable, the value and the rule.
import { rolloutFromFractionEnv, rolloutFromPercentEnv } from '@bucketry/core';
import { readLiveSettings } from './live-config.mjs';

/** The variable the runbook turns: 0 (kill switch), 10, 50, 100. */
const ROLLOUT_VARIABLE = 'SKILL_TREE_LIST_ROLLOUT';
/** The same rollout written as a fraction (0.10 is 10%), as pilot deploys set it. */
const PILOT_VARIABLE = 'PILOT_ROLLOUT_PCT';

/** The shortest EVENTS_TOKEN accepted (the recent-events route refuses shorter ones). */
const MIN_TOKEN_LENGTH = 16;

export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

function port(env) {
  const raw = env.PORT ?? '3000';
  if (!/^\d{1,5}$/.test(raw.trim()) || Number(raw) > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

function wholeMilliseconds(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1) {
    throw new ConfigError(`${name} must be a whole number of milliseconds >= 1, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** EXPOSURE_COLLECTOR_URL: an absolute http(s) URL, or undefined (events go to EXPOSURE_LOG). */
function collector(env) {
  const raw = env.EXPOSURE_COLLECTOR_URL?.trim();
  if (!raw) return undefined;
  if (env.EXPOSURE_LOG !== undefined) {
    throw new ConfigError(`set EXPOSURE_LOG (a file) or EXPOSURE_COLLECTOR_URL (a collector), not both, got EXPOSURE_LOG=${JSON.stringify(env.EXPOSURE_LOG)} and EXPOSURE_COLLECTOR_URL=${JSON.stringify(raw)}`);
  }
  let url;
  try {
    url = new URL(raw);
  } catch {
    // Refused below, with the rule.
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new ConfigError(`EXPOSURE_COLLECTOR_URL must be an absolute http:// or https:// URL, like https://collector.example.com/v1/batch, got ${JSON.stringify(raw)}`);
  }
  return url.href;
}

/**
 * The rollout and the setting it came from. Without a store there is no default: a deploy that
 * forgot the variable must not silently run at 0 (or at anything else), so it stops start-up like
 * a typo. With a store (`live`) the store decides; the variable, if set, is the rollout until the
 * store has a record for the experiment, and otherwise that is 0: nobody gets list before someone
 * sets it.
 */
function rolloutSetting(env, live) {
  const percent = env[ROLLOUT_VARIABLE];
  const fraction = env[PILOT_VARIABLE];
  if (percent !== undefined && fraction !== undefined) {
    throw new ConfigError(
      `set ${ROLLOUT_VARIABLE} (a percent) or ${PILOT_VARIABLE} (a fraction), not both, got ${ROLLOUT_VARIABLE}=${JSON.stringify(percent)} and ${PILOT_VARIABLE}=${JSON.stringify(fraction)}`,
    );
  }
  if (percent === undefined && fraction === undefined && live) return { rollout: 0, setting: undefined };
  if (percent === undefined && fraction === undefined) {
    throw new ConfigError(
      `${ROLLOUT_VARIABLE} must be set to the percent of users who get the list layout, from 0 (the kill switch) to 100, like 10 (or ${PILOT_VARIABLE} to a fraction, like 0.10), got neither`,
    );
  }
  try {
    if (fraction === undefined) {
      const rollout = rolloutFromPercentEnv(ROLLOUT_VARIABLE, env);
      return { rollout, setting: `${ROLLOUT_VARIABLE}=${percent.trim()}`, warning: fractionWarning(rollout) };
    }
    const rollout = rolloutFromFractionEnv(PILOT_VARIABLE, env);
    return { rollout, setting: `${PILOT_VARIABLE}=${fraction.trim()}, ${rollout}% list` };
  } catch (error) {
    throw new ConfigError(error.message);
  }
}

/**
 * What to say at start-up when SKILL_TREE_LIST_ROLLOUT is above 0 and below 1: a percent, but it
 * looks like a fraction (0.1 meant as 10% gives list to one user in a thousand).
 */
function fractionWarning(rollout) {
  if (!(rollout > 0 && rollout < 1)) return undefined;
  const asFraction = Number((rollout * 100).toFixed(2));
  return (
    `${ROLLOUT_VARIABLE}=${rollout} gives the list layout to ${rollout}% of users: it is a percent. ` +
    `For ${asFraction}%, set ${ROLLOUT_VARIABLE}=${asFraction} (or ${PILOT_VARIABLE}=${rollout}, a fraction)`
  );
}

/**
 * The settings, from `env` (default `process.env`):
 * - `PORT` (default 3000; 0 lets the OS pick) and `HOST` (default 127.0.0.1)
 * - `SKILL_TREE_LIST_ROLLOUT`: percent of users who get the list layout, required; or instead
 *   `PILOT_ROLLOUT_PCT`, the same as a fraction (0.10 is 10%). `rolloutWarning` says so when a
 *   percent above 0 and below 1 looks like a fraction
 * - `EXPOSURE_LOG`: the JSONL file exposures and session events are appended to (default exposures.jsonl)
 * - `EXPOSURE_COLLECTOR_URL`: instead of the file, an http(s) collector the events are POSTed to
 *   in Segment's batch format (`collectorUrl`; undefined without it)
 * - `EVENTS_TOKEN`: turns on GET /api/events, for callers sending it as a bearer token (16+ characters)
 * - `EXPOSURE_FLUSH_MS`: how long exposures may wait in memory before being written (default 1000)
 * - `SHUTDOWN_TIMEOUT_MS`: how long shutdown may take in all (default 10000); `SHUTDOWN_GRACE_MS`:
 *   how long of it requests in progress get to finish (default 5000, less than the timeout)
 * - `BUCKETRY_STORE` and the rest of live-config.mjs: the rollout, live from a store; `live` is
 *   `undefined` without it
 */
export function readConfig(env = process.env) {
  const live = readLiveSettings(env, (message) => {
    throw new ConfigError(message);
  });
  const { rollout, setting, warning } = rolloutSetting(env, live);
  const host = env.HOST?.trim() || '127.0.0.1';
  const exposureLog = env.EXPOSURE_LOG?.trim() || 'exposures.jsonl';
  const collectorUrl = collector(env);
  const eventsToken = env.EVENTS_TOKEN === undefined || env.EVENTS_TOKEN === '' ? undefined : env.EVENTS_TOKEN;
  if (eventsToken !== undefined && (eventsToken.length < MIN_TOKEN_LENGTH || eventsToken.trim() !== eventsToken)) {
    throw new ConfigError(`EVENTS_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters without surrounding spaces, got ${eventsToken.length} characters`);
  }
  const shutdownTimeoutMs = wholeMilliseconds(env, 'SHUTDOWN_TIMEOUT_MS', 10_000);
  const shutdownGraceMs = wholeMilliseconds(env, 'SHUTDOWN_GRACE_MS', Math.min(5_000, Math.floor(shutdownTimeoutMs / 2)));
  if (shutdownGraceMs >= shutdownTimeoutMs) {
    throw new ConfigError(
      `SHUTDOWN_GRACE_MS must be less than SHUTDOWN_TIMEOUT_MS (${shutdownTimeoutMs}), leaving time to write the queued events, got ${shutdownGraceMs}`,
    );
  }
  return {
    port: port(env),
    host,
    rollout,
    rolloutSetting: setting,
    rolloutWarning: warning,
    exposureLog,
    collectorUrl,
    eventsToken,
    flushIntervalMs: wholeMilliseconds(env, 'EXPOSURE_FLUSH_MS', 1000),
    shutdownTimeoutMs,
    shutdownGraceMs,
    live,
  };
}
