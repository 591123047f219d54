import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { flushOnSignal } from './sticky-signal.js';
import { bundleForNode } from './test-support/node-bundle.js';
import { POSTGRES_URL, dropSchema, uniqueName, waitFor } from './test-support/services.js';

// A child process (src/index.ts bundled, as tsup builds dist) queues records, gets SIGTERM, and
// must have written every one before it exits.
const dir = mkdtempSync(join(tmpdir(), 'bucketry-live-sticky-signal-'));
const schema = uniqueName('live_sticky_signal');
const RECORDS = 5_000;
beforeAll(async () => {
  await bundleForNode('index.ts', join(dir, 'live.mjs'));
  // batchSize above the records and a 10-minute interval: nothing is written before the signal.
  writeFileSync(
    join(dir, 'child.mjs'),
    `import { createPostgresStickyStore, flushOnSignal } from './live.mjs';
const [url, schema, count] = process.argv.slice(2);
const store = createPostgresStickyStore({ connectionString: url, schema, batchSize: 10000, flushInterval: 600000, onError: (error, context) => console.error(context, error) });
await store.migrate();
flushOnSignal(store, ['SIGTERM'], { timeout: 60000 });
for (let i = 0; i < Number(count); i++) store.set('sig-' + i, 'skill_tree_layout', i % 2 ? 'list' : 'tree');
console.log('queued ' + store.stats().queued);
`,
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropSchema(schema);
});

const count = async (): Promise<number> => {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return Number((await client.query(`select count(*) from "${schema}".experiment_assignments`)).rows[0].count);
  } finally {
    await client.end();
  }
};

describe('flushOnSignal', () => {
  it('writes every queued record when the process gets SIGTERM, then ends it as SIGTERM would', async () => {
    const child: ChildProcess = spawn(process.execPath, [join(dir, 'child.mjs'), POSTGRES_URL, schema, String(RECORDS)], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child.on('exit', (code, signal) => (exit = { code, signal }));

    await waitFor(`the child to queue its records (stderr: ${stderr})`, () => stdout.includes(`queued ${RECORDS}`) || exit !== undefined, 60_000);
    expect(exit).toBeUndefined();
    expect(await count()).toBe(0); // all still queued
    child.kill('SIGTERM');
    await waitFor('the child to exit', () => exit !== undefined, 60_000);
    expect(await count()).toBe(RECORDS);
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(stderr).toBe('');
  }, 150_000);

  it('closes every target, and leaves the exit to another listener of the signal', async () => {
    const closed: (number | undefined)[] = [];
    const target = { close: async (timeout?: number) => void closed.push(timeout) };
    const other = (): void => {};
    process.on('SIGUSR2', other);
    const kill = vi.spyOn(process, 'kill');
    try {
      flushOnSignal([target, target], ['SIGUSR2'], { timeout: 1_234 });
      expect(process.listenerCount('SIGUSR2')).toBe(2);
      process.emit('SIGUSR2', 'SIGUSR2');
      await waitFor('our listener removed', () => process.listenerCount('SIGUSR2') === 1);
      expect(closed).toEqual([1_234, 1_234]);
      expect(kill).not.toHaveBeenCalled();
    } finally {
      kill.mockRestore();
      process.removeListener('SIGUSR2', other);
    }
  });

  it('refuses what it cannot use, naming it', () => {
    expect(() => flushOnSignal({} as never)).toThrow("flushOnSignal: targets must have a close() method (a sticky store, a Bucketry client), got an object");
    expect(() => flushOnSignal([{ close: async () => {} }, null as never])).toThrow('flushOnSignal: targets[1] must have a close() method');
    expect(() => flushOnSignal({ close: async () => {} }, ['TERM' as never])).toThrow(`flushOnSignal: signals must be a non-empty list of signal names such as 'SIGTERM', got ["TERM"]`);
    expect(() => flushOnSignal({ close: async () => {} }, ['SIGTERM'], { timeout: -1 })).toThrow('flushOnSignal: timeout must be a whole number of ms from 0 to 2147483647, got -1');
  });
});
