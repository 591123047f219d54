import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../src/test-support/json-lines.js';
import { useScratchDir } from '../src/test-support/scratch-dir.js';
import { useExamples } from '../src/test-support/start-example.js';
import { waitForQueuedEvents } from './traffic.mjs';

const scratch = useScratchDir('traffic-');

// simulate-traffic --url calls it after the traffic; there the page's outcome reports have
// already written the queue (each one flushes it first), so these tests leave exposures queued
// with a page view and no report.
describe('waitForQueuedEvents', () => {
  const startExample = useExamples();

  const queueExposure = async (url: string, user: string) => {
    await (await fetch(`${url}/api/v1/skills/tree`, { headers: { 'x-user-id': user } })).arrayBuffer();
    const { exposures } = await (await fetch(`${url}/api/healthz`)).json();
    expect(exposures.queued).toBe(1);
  };

  it('returns once the server has written its queued exposures to EXPOSURE_LOG', async () => {
    const path = scratch('flushed.jsonl');
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_LOG: path, EXPOSURE_FLUSH_MS: '500' });
    await queueExposure(running.url, 'queued-user');
    await waitForQueuedEvents(running.url);
    // Read while the server still runs: the wait, not the shutdown, got it written.
    const lines = await readJsonLines(path);
    expect(lines).toEqual([expect.objectContaining({ event: 'experiment_exposure', userId: 'queued-user' })]);
  });

  it('gives up after timeoutMs, saying how many exposures are still queued', async () => {
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_LOG: scratch('held.jsonl'), EXPOSURE_FLUSH_MS: '600000' });
    await queueExposure(running.url, 'held-user');
    await expect(waitForQueuedEvents(running.url, 300)).rejects.toThrow(`${running.url} still had 1 exposures to write after 300 ms`);
  });

  it('refuses a server whose health route does not report an exposure queue', async () => {
    const other: Server = createServer((_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as { port: number };
    try {
      await expect(waitForQueuedEvents(`http://127.0.0.1:${port}`)).rejects.toThrow('does not report its exposure queue; is it the skill-tree example?');
    } finally {
      other.close();
    }
  });
});
