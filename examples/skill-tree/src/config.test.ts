import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.mjs';

/** The one variable without a default. */
const ROLLOUT_10 = { SKILL_TREE_LIST_ROLLOUT: '10' };

describe('readConfig', () => {
  it('defaults to 127.0.0.1:3000, exposures.jsonl, /api/events off, 1 s flushes, shutdown in 10 s with 5 s for requests', () => {
    expect(readConfig(ROLLOUT_10)).toEqual({
      port: 3000,
      host: '127.0.0.1',
      rollout: 10,
      rolloutSetting: 'SKILL_TREE_LIST_ROLLOUT=10',
      exposureLog: 'exposures.jsonl',
      collectorUrl: undefined,
      eventsToken: undefined,
      flushIntervalMs: 1000,
      shutdownTimeoutMs: 10_000,
      shutdownGraceMs: 5_000,
    });
  });

  it('reads every variable', () => {
    const env = {
      PORT: '8080',
      HOST: '0.0.0.0',
      SKILL_TREE_LIST_ROLLOUT: '50',
      EXPOSURE_LOG: '/var/log/exposures.jsonl',
      EVENTS_TOKEN: 'x'.repeat(16),
      EXPOSURE_FLUSH_MS: '250',
      SHUTDOWN_TIMEOUT_MS: '30000',
      SHUTDOWN_GRACE_MS: '20000',
    };
    expect(readConfig(env)).toEqual({
      port: 8080,
      host: '0.0.0.0',
      rollout: 50,
      rolloutSetting: 'SKILL_TREE_LIST_ROLLOUT=50',
      exposureLog: '/var/log/exposures.jsonl',
      collectorUrl: undefined,
      eventsToken: 'x'.repeat(16),
      flushIntervalMs: 250,
      shutdownTimeoutMs: 30_000,
      shutdownGraceMs: 20_000,
    });
  });

  it('reads EXPOSURE_COLLECTOR_URL', () => {
    expect(readConfig({ ...ROLLOUT_10, EXPOSURE_COLLECTOR_URL: ' http://127.0.0.1:9000/v1/batch ' }).collectorUrl).toBe('http://127.0.0.1:9000/v1/batch');
  });

  it('gives requests half of a shutdown timeout under 10 s', () => {
    expect(readConfig({ ...ROLLOUT_10, SHUTDOWN_TIMEOUT_MS: '3000' })).toMatchObject({ shutdownTimeoutMs: 3000, shutdownGraceMs: 1500 });
  });

  it.each(['0', '10', '50', '100'])('reads the runbook’s SKILL_TREE_LIST_ROLLOUT=%s', (value) => {
    expect(readConfig({ SKILL_TREE_LIST_ROLLOUT: value }).rollout).toBe(Number(value));
  });

  it.each([
    ['0.10', 10],
    ['0.05', 5],
    ['0.25', 25],
    ['1', 100],
    ['0', 0],
  ])('reads a pilot’s PILOT_ROLLOUT_PCT=%s as %d%', (value, percent) => {
    const config = readConfig({ PILOT_ROLLOUT_PCT: value });
    expect(config.rollout).toBe(percent);
    expect(config.rolloutSetting).toBe(`PILOT_ROLLOUT_PCT=${value}, ${percent}% list`);
  });

  it.each([
    [{}, 'SKILL_TREE_LIST_ROLLOUT must be set to the percent of users who get the list layout, from 0 (the kill switch) to 100, like 10 (or PILOT_ROLLOUT_PCT to a fraction, like 0.10), got neither'],
    [{ SKILL_TREE_LIST_ROLLOUT: 'fifty' }, 'SKILL_TREE_LIST_ROLLOUT must be a percent from 0 to 100 with at most 4 decimals, like 10 or 12.5, got "fifty"'],
    [{ PILOT_ROLLOUT_PCT: '10' }, 'PILOT_ROLLOUT_PCT must be a fraction from 0 to 1 with at most 6 decimals, like 0.10 (for 10% write 0.1), got "10"'],
    [{ SKILL_TREE_LIST_ROLLOUT: '10', PILOT_ROLLOUT_PCT: '0.10' }, 'set SKILL_TREE_LIST_ROLLOUT (a percent) or PILOT_ROLLOUT_PCT (a fraction), not both, got SKILL_TREE_LIST_ROLLOUT="10" and PILOT_ROLLOUT_PCT="0.10"'],
    [{ ...ROLLOUT_10, PORT: '70000' }, 'PORT must be a whole number from 0 to 65535, got "70000"'],
    [{ ...ROLLOUT_10, PORT: '-1' }, 'PORT must be a whole number'],
    [{ ...ROLLOUT_10, EXPOSURE_FLUSH_MS: '0' }, 'EXPOSURE_FLUSH_MS must be a whole number of milliseconds >= 1, got "0"'],
    [{ ...ROLLOUT_10, EXPOSURE_COLLECTOR_URL: 'collector:9000' }, 'EXPOSURE_COLLECTOR_URL must be an absolute http:// or https:// URL, like https://collector.example.com/v1/batch, got "collector:9000"'],
    [{ ...ROLLOUT_10, EXPOSURE_COLLECTOR_URL: '/v1/batch' }, 'EXPOSURE_COLLECTOR_URL must be an absolute http:// or https:// URL'],
    [
      { ...ROLLOUT_10, EXPOSURE_COLLECTOR_URL: 'http://127.0.0.1:9000/', EXPOSURE_LOG: 'x.jsonl' },
      'set EXPOSURE_LOG (a file) or EXPOSURE_COLLECTOR_URL (a collector), not both, got EXPOSURE_LOG="x.jsonl" and EXPOSURE_COLLECTOR_URL="http://127.0.0.1:9000/"',
    ],
    [{ ...ROLLOUT_10, SHUTDOWN_GRACE_MS: '10000' }, 'SHUTDOWN_GRACE_MS must be less than SHUTDOWN_TIMEOUT_MS (10000), leaving time to write the queued events, got 10000'],
    [{ ...ROLLOUT_10, SHUTDOWN_TIMEOUT_MS: 'soon' }, 'SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds >= 1, got "soon"'],
    [{ ...ROLLOUT_10, EVENTS_TOKEN: 'too-short' }, 'EVENTS_TOKEN must be at least 16 characters without surrounding spaces, got 9 characters'],
  ])('refuses %j', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
