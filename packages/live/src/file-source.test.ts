import { mkdtempSync, rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createFileStore } from './file-store.js';
import { setRollout } from './set-rollout.js';
import { rolloutOf, sourcesClosedAfterEach } from './test-support/live-client.js';
import { waitFor } from './test-support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'bucketry-live-file-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const startSource = sourcesClosedAfterEach(); // what arrives, arrives by the directory watch

const record = (rollout: number, version: number) => ({ rollout, enabled: true, version, updatedAt: '2026-11-02T09:30:00.000Z', actor: 'editor', phase: null, reason: null });

describe('file source', () => {
  it('delivers the file at start and every change after it, through the directory watch', async () => {
    const path = join(dir, 'watched.json');
    const store = createFileStore({ path });
    await setRollout(store, 'skill_tree_layout', { percent: 10, actor: 'ana' });
    const { bucketry, errors } = await startSource(createFileStore({ path }));
    expect(rolloutOf(bucketry)).toBe(10);
    expect(bucketry.status()).toMatchObject({ source: 'file', stale: false });

    await setRollout(store, 'skill_tree_layout', { percent: 50, actor: 'ana' });
    await waitFor('the 50% rollout', () => rolloutOf(bucketry) === 50);
    expect(errors).toEqual([]);
  });

  it('sees an editor that writes by rename, keeps the last good set on invalid content, marks it stale, then recovers', async () => {
    const path = join(dir, 'edited.json');
    await writeFile(path, JSON.stringify({ rollouts: { pilot: record(5, 1) } }));
    const { bucketry, errors } = await startSource(createFileStore({ path }), { retryDelay: 50 });
    expect(rolloutOf(bucketry, 'pilot')).toBe(5);

    const byRename = async (content: string): Promise<void> => {
      await writeFile(`${path}.swp`, content);
      await rename(`${path}.swp`, path);
    };
    await byRename(JSON.stringify({ rollouts: { pilot: record(20, 2) } }));
    await waitFor('the renamed file', () => rolloutOf(bucketry, 'pilot') === 20);

    await byRename(JSON.stringify({ rollouts: { pilot: record(150, 3) } }));
    await waitFor('the stale mark', () => bucketry.status().stale);
    expect(bucketry.status().staleReason).toContain('rollouts.pilot.rollout must be a number from 0 to 100, got 150');
    expect(rolloutOf(bucketry, 'pilot')).toBe(20); // the last good set
    expect(bucketry.assign('pilot', 'user-1').variant).toMatch(/^(off|on)$/); // assignments go on
    expect(errors.some(({ error }) => String(error).includes('got 150'))).toBe(true);

    await byRename(JSON.stringify({ rollouts: { pilot: record(30, 4) } }));
    await waitFor('the fixed file', () => rolloutOf(bucketry, 'pilot') === 30 && !bucketry.status().stale);
  });

  it('keeps the last good set when the file disappears, and reports a record for an unknown experiment without applying it', async () => {
    const path = join(dir, 'gone.json');
    await writeFile(path, JSON.stringify({ rollouts: { pilot: record(7, 1), retired: record(50, 1) } }));
    const { bucketry, errors } = await startSource(createFileStore({ path }), { retryDelay: 50 });
    expect(rolloutOf(bucketry, 'pilot')).toBe(7);
    expect(errors.map(({ error, stage }) => [stage, String(error)])).toEqual([
      ['unknown', 'Error: file holds rollout records for experiments this service does not know: retired (not applied)'],
    ]);
    expect(bucketry.experiments.map((e) => e.key)).toEqual(['skill_tree_layout', 'pilot']);

    rmSync(path);
    await waitFor('the stale mark', () => bucketry.status().stale);
    expect(bucketry.status().staleReason).toMatch(/^file could not be read \(ENOENT.*\); the last good set stays in force$/);
    expect(rolloutOf(bucketry, 'pilot')).toBe(7);
  });

  it('without an onError, says what went wrong on the console rather than nowhere', async () => {
    const path = join(dir, 'no-handler.json');
    await writeFile(path, JSON.stringify({ rollouts: { retired: record(50, 1) } }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await startSource(createFileStore({ path }), { onError: undefined });
      expect(warn).toHaveBeenCalledWith('@bucketry/live: file unknown:', expect.objectContaining({ message: expect.stringContaining('retired (not applied)') }));
    } finally {
      warn.mockRestore();
    }
  });
});
