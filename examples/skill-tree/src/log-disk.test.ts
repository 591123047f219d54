// The exposure log on a real disk that is read-only, or fills and frees: a small tmpfs (root only,
// as the CI runs). What a disk cannot do on cue (fail a sync, a cut-back) is in jsonl-file.test.ts.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJsonLines } from './test-support/json-lines.js';
import { mountSmallDisk } from './test-support/small-disk.mjs';
import { runExampleToExit, useExamples } from './test-support/start-example.js';
import { waitFor } from './test-support/wait-for.js';

/** Every line of the log, parsed: a torn line fails the test here. */
const exposedUsers = async (path: string) =>
  (await readJsonLines<{ event: string; userId: string }>(path))
    .filter((line) => line.event === 'experiment_exposure')
    .map((line) => line.userId);

const health = async (url: string) => {
  const response = await fetch(`${url}/api/healthz`);
  return { status: response.status, body: await response.json() };
};

describe('the exposure log on a small disk', () => {
  let disk: Awaited<ReturnType<typeof mountSmallDisk>> | undefined;
  afterEach(async () => {
    await disk?.remove();
    disk = undefined;
  });
  // Registered after the disk's: each test's example is killed before its disk is removed.
  const startExample = useExamples();

  const view = (url: string, user: string) => fetch(`${url}/api/v1/skills/tree`, { headers: { 'x-user-id': user } }).then((response) => response.status);

  it('refuses to start on a read-only mount, naming the path and the reason', async () => {
    disk = await mountSmallDisk(64, { readOnly: true });
    const inIt = await runExampleToExit({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: join(disk.dir, 'exposures.jsonl') }, 60_000);
    expect(inIt.code).toBe(1);
    expect(inIt.stderr).toContain(`not starting: EXPOSURE_LOG ${join(disk.dir, 'exposures.jsonl')}: cannot be opened for appending: EROFS (read-only file system)`);
    const under = await runExampleToExit({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: join(disk.dir, 'logs', 'exposures.jsonl') }, 60_000);
    expect(under.code).toBe(1);
    expect(under.stderr).toContain(`not starting: EXPOSURE_LOG ${join(disk.dir, 'logs')}: cannot create the directory: EROFS (read-only file system)`);
  }, 90_000);

  it('loses nothing, tears no line and writes no batch twice while the disk fills and frees', async () => {
    disk = await mountSmallDisk(512);
    const path = join(disk.dir, 'exposures.jsonl');
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_LOG: path, EXPOSURE_FLUSH_MS: '20' }, 60_000);
    const { url } = running;
    const users = Array.from({ length: 400 }, (_, i) => `disk-user-${i}`);
    // A few lines first: the log's last page then has room for part of the next batch, so the
    // full disk takes part of a write before it refuses the rest.
    for (const user of users.slice(0, 3)) expect(await view(url, user)).toBe(200);
    await waitFor('the first lines to be written', () => health(url), ({ body }) => body.exposures.delivered === 3, 60_000);
    await disk.fill();
    for (const user of users.slice(3)) expect(await view(url, user)).toBe(200);
    // Full for longer than a few retries (a batch was given up after 3 attempts before the example retried for ~30 s).
    const full = await waitFor('writes to fail on the full disk, again and again', () => health(url), ({ body }) => body.exposures.failedAttempts >= 8, 60_000);
    expect(full).toMatchObject({ status: 200, body: { status: 'ok', exposures: { dropped: 0 } } });
    expect(running.output()).toContain('ENOSPC');
    await disk.free();
    const after = await waitFor('the queue to be written', () => health(url), ({ body }) => body.exposures.queued + body.exposures.inFlight === 0, 60_000);
    expect(after).toMatchObject({ status: 200, body: { status: 'ok', exposures: { delivered: 400, dropped: 0 } } });

    expect(await running.stop('SIGTERM')).toBe(0);
    expect((await exposedUsers(path)).sort()).toEqual([...users].sort());
  }, 120_000);

  it('on a disk that stays full: health answers 503 degraded once anything is lost, and the exit code is 1, with the counts', async () => {
    disk = await mountSmallDisk(256);
    const path = join(disk.dir, 'exposures.jsonl');
    const running = await startExample(
      { SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_LOG: path, EXPOSURE_FLUSH_MS: '20', SHUTDOWN_TIMEOUT_MS: '4000', SHUTDOWN_GRACE_MS: '1000' },
      60_000,
    );
    const { url } = running;
    await disk.fill();
    for (let i = 0; i < 30; i++) expect(await view(url, `full-user-${i}`)).toBe(200);
    expect((await health(url)).status).toBe(200); // retrying: nothing lost yet
    // An outcome waits for the exposures before it, then is refused: the caller is told, and it counts.
    const session = await fetch(`${url}/api/v1/sessions`, { method: 'POST', headers: { 'x-user-id': 'full-user-0' } });
    expect(session.status).toBe(503);
    // A click on the skills list too (skill-order.mjs), counted with the rest.
    const click = await fetch(`${url}/api/v1/skills/order/clicks`, {
      method: 'POST',
      headers: { 'x-user-id': 'full-user-0', 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'home', item: 'loops' }),
    });
    expect(click.status).toBe(503);
    expect(await click.json()).toEqual({ error: 'could not record item_clicked' });
    expect(running.output()).toContain('\nitem_clicked event not written: ');
    const degraded = await health(url);
    expect(degraded.status).toBe(503);
    expect(degraded.body).toMatchObject({ status: 'degraded', problems: [`2 outcome events not written: ${path} is incomplete`], exposures: { dropped: 0 } });

    expect(await running.stop('SIGTERM')).toBe(1);
    expect(running.output()).toContain(`skill-tree: stopped; the log ${path} is incomplete: 30 exposure events dropped; 2 outcome events not written`);
  }, 120_000);
});
