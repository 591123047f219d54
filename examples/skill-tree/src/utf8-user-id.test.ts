import { request as httpRequest } from 'node:http';
import { assignVariant, defineExperiment } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from './test-support/json-lines.js';
import { useScratchDir } from './test-support/scratch-dir.js';
import { useExamples } from './test-support/start-example.js';

// A non-ASCII X-User-Id as a browser or fetch sends it: its UTF-8 bytes (node:http writes a header
// string one byte per character). The example reads it with headerText: the user it means gets
// that user's variant, and the exposure log names that user.
const scratch = useScratchDir('skill-tree-utf8-');
const layoutAt = (rollout: number) => defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout });

function getAs(url: string, userId: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/api/v1/skills/tree`, { headers: { 'x-user-id': Buffer.from(userId, 'utf8').toString('latin1') }, agent: false });
    request.on('response', (response) => (response.resume(), resolve(response.headers['x-experiment-skill-tree-layout'] as string | undefined)));
    request.on('error', reject);
    request.end();
  });
}

describe('the skill-tree example with a non-ASCII X-User-Id', () => {
  const startExample = useExamples();

  it('gives each user assignVariant’s variant for the name sent, and logs that name', { timeout: 60_000 }, async () => {
    const log = scratch('utf8.jsonl');
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: log });
    const users = ['Dvořák', 'zoë', '用户-42', 'Ånne 🧪'];
    for (const user of users) expect(await getAs(running.url, user), user).toBe(assignVariant(layoutAt(10), user).variant);
    expect(await getAs(running.url, 'Dvořák')).toBe('list');
    expect(await running.stop('SIGTERM')).toBe(0);
    const logged = await readJsonLines<{ event: string; userId: string }>(log);
    expect(logged.filter((l) => l.event === 'experiment_exposure').map((l) => l.userId).sort()).toEqual([...users].sort());
  });
});
