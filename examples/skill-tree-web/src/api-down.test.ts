import { describe, expect, it } from 'vitest';
import { apiStartCommand } from './ApiDown.js';

describe("the notice's command for the API", () => {
  it('is the plain start on the default port, and names another port with PORT', () => {
    expect(apiStartCommand('http://127.0.0.1:3000')).toBe('SKILL_TREE_LIST_ROLLOUT=50 pnpm --dir examples/skill-tree start');
    expect(apiStartCommand('http://127.0.0.1:4100')).toBe('PORT=4100 SKILL_TREE_LIST_ROLLOUT=50 pnpm --dir examples/skill-tree start');
    expect(apiStartCommand('http://localhost')).toBe('PORT=80 SKILL_TREE_LIST_ROLLOUT=50 pnpm --dir examples/skill-tree start');
  });
});
