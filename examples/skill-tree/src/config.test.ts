import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.mjs';

describe('readConfig', () => {
  it('defaults to 127.0.0.1:3000, the kill switch, exposures.jsonl, /api/events off, 1 s flushes', () => {
    expect(readConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      rollout: 0,
      exposureLog: 'exposures.jsonl',
      eventsToken: undefined,
      flushIntervalMs: 1000,
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
    };
    expect(readConfig(env)).toEqual({
      port: 8080,
      host: '0.0.0.0',
      rollout: 50,
      exposureLog: '/var/log/exposures.jsonl',
      eventsToken: 'x'.repeat(16),
      flushIntervalMs: 250,
    });
  });

  it.each(['0', '10', '50', '100'])('reads the runbook’s SKILL_TREE_LIST_ROLLOUT=%s', (value) => {
    expect(readConfig({ SKILL_TREE_LIST_ROLLOUT: value }).rollout).toBe(Number(value));
  });

  it.each([
    [{ SKILL_TREE_LIST_ROLLOUT: 'fifty' }, 'SKILL_TREE_LIST_ROLLOUT must be a percent from 0 to 100'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535, got "70000"'],
    [{ PORT: '-1' }, 'PORT must be a whole number'],
    [{ EXPOSURE_FLUSH_MS: '0' }, 'EXPOSURE_FLUSH_MS must be a whole number of milliseconds >= 1, got "0"'],
    [{ EVENTS_TOKEN: 'too-short' }, 'EVENTS_TOKEN must be at least 16 characters without surrounding spaces, got 9 characters'],
  ])('refuses %j', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
