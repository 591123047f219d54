import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBucketry } from '@bucketry/core';
import { createPostgresSink, openStore } from '@bucketry/live';
import { afterAll, describe, expect, it } from 'vitest';
import { createMonitor } from './monitor.js';
import { parsePlan } from './plan.js';
import { seeded } from './simulate.js';
import { openEventSource } from './source.js';
import { dropSchema, POSTGRES_URL, uniqueName } from './test-support/services.js';

// The application's own path end to end: createBucketry with @bucketry/live's PostgreSQL sink writes
// exposures and tracked errors into its events table; the monitor reads that table and rolls back.
const schema = uniqueName('guard_sink');
const dir = mkdtempSync(join(tmpdir(), 'guard-sink-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropSchema(schema);
});

describe('the monitor on the table createPostgresSink writes', () => {
  it('reads exposures and tracked events from bucketry.events and rolls a regression back', async () => {
    const plan = parsePlan({ experiment: 'checkout_v2', variants: ['old', 'new'], events: ['checkout_error'], guardrails: ['rate:checkout_error:2%:5%'], stages: [{ name: 'canary', percent: 5, minDuration: '1h' }] });
    const store = openStore(`file:${join(dir, 'rollouts.json')}`);
    const source = await openEventSource(`${POSTGRES_URL}?table=${schema}.events&settle=0`);
    const monitor = createMonitor({ plan, store, source, statePath: join(dir, 'plan.state.json'), log: () => {} });
    // The stage starts (5% in the store) before the sink has made its table: the look holds, saying why.
    expect(await monitor.look()).toMatchObject({ verdict: 'HOLD', reason: 'source-unreadable' });
    const sink = createPostgresSink({ connectionString: POSTGRES_URL, schema, onError: () => {} });
    const bucketry = createBucketry({ experiments: [{ key: 'checkout_v2', variants: ['old', 'new'], rollout: 5 }], sink });
    const random = seeded(11);
    for (let i = 0; i < 30_000; i++) {
      const unit = `u${i}`;
      const { variant } = bucketry.assign('checkout_v2', unit);
      if (random() < (variant === 'new' ? 0.06 : 0.01)) sink.track({ event: 'checkout_error', unit });
      if (i % 2000 === 1999) await sink.flush(); // the sink holds 10,000 events at most
    }
    await sink.close();
    expect(sink.stats().dropped).toBe(0);
    const decision = await monitor.look();
    await source.close();
    expect(decision.exposures[0]! + decision.exposures[1]!).toBe(30_000);
    expect(decision).toMatchObject({ verdict: 'ROLLBACK', action: 'rolled-back' });
    // Every tracked error credited, though a unit's error may share its exposure's millisecond and be read first.
    expect((await monitor.state()).counts.unattributed).toBe(0);
    expect((await store.read()).rollouts.checkout_v2!.rollout).toBe(0);
    await store.close();
  });
});
