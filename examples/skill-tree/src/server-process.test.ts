import { describe, expect, it } from 'vitest';
import { spawnServerProcess } from './server-process.mjs';

describe('spawnServerProcess', () => {
  it('rejects ready, saying so, when the command cannot start at all', async () => {
    const server = spawnServerProcess({ command: '/nonexistent/skill-tree-server', args: [], env: {}, timeoutMs: 10_000 });
    await expect(server.ready).rejects.toThrow('/nonexistent/skill-tree-server could not start: spawn /nonexistent/skill-tree-server ENOENT');
    expect(await server.stop()).toBe('ENOENT');
  });
});
