import { describe, expect, it } from 'vitest';
import { useScratchDir } from './scratch-dir.js';
import { useExamples } from './start-example.js';

const scratch = useScratchDir('skill-tree-use-examples-');
/** Whether a process with this id still exists (signal 0 checks without sending anything). */
const exists = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The tests of this block run in order: the second checks what the first left behind.
describe('useExamples', () => {
  const startExample = useExamples();
  const left: number[] = [];

  it('starts examples that serve', async () => {
    for (const name of ['a', 'b']) {
      const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: scratch(`${name}.jsonl`) });
      expect((await fetch(`${running.url}/api/healthz`)).status).toBe(200);
      left.push(running.pid!);
    }
    expect(left.every(exists)).toBe(true);
  });

  it('killed every example the test before left running, once it ended', () => {
    expect(left).toHaveLength(2);
    expect(left.filter(exists)).toEqual([]);
  });
});
