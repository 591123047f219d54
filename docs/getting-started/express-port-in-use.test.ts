import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createGuideSession, ROOT } from '../../scripts/docs/guide-session.mjs';
import { parseGuide } from '../../scripts/docs/markdown-commands.mjs';

// The Express guide's server.mjs, started on a port another process holds: it says which port and
// why, and exits 1 (a listen callback reading server.address() hid this behind
// "TypeError: Cannot read properties of null (reading 'port')").
const GUIDE = 'docs/getting-started/express.md';
const blocks = parseGuide(readFileSync(join(ROOT, GUIDE), 'utf8'));
const holder = createServer();
let port: number;

beforeAll(async () => {
  holder.listen(0, '127.0.0.1');
  await once(holder, 'listening');
  port = (holder.address() as AddressInfo).port;
});
afterAll(() => holder.close());

describe("the Express guide's server, on a port in use", () => {
  it('names the port and EADDRINUSE, and exits 1', async () => {
    const session = await createGuideSession();
    try {
      // The install and the files, as the guide has them.
      for (const block of blocks.filter((b) => b.kind === 'install' || b.kind === 'file')) await session.run(block, `${GUIDE}:${block.line}`);
      const command = `PORT=${port} SKILL_TREE_LIST_ROLLOUT=10 node server.mjs; echo "exit code $?"`;
      const expected = [`cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}`, 'exit code 1'];
      await session.run({ kind: 'commands', line: 0, commands: [{ command, expected, line: 0 }] }, 'express-port-in-use.test.ts:0');
    } finally {
      await session.close('express-port-in-use.test.ts: at the end');
    }
  }, 120_000);
});
