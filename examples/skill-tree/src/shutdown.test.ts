import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from './test-support/json-lines.js';
import { openRawConnection } from './test-support/raw-connection.js';
import { useScratchDir } from './test-support/scratch-dir.js';
import { runExampleToExit, useExamples } from './test-support/start-example.js';
import { waitFor } from './test-support/wait-for.js';

const scratch = useScratchDir('skill-tree-shutdown-');

/** The log's lines, parsed: a torn line fails the test. */
const readLines = (path: string) => readJsonLines<{ event: string; userId?: string }>(path);

/** A report whose head (with Expect: 100-continue) is sent; the server answers 100 once the app has the request. */
const reportHead = (user: string, length: number) =>
  `POST /api/v1/skills/tree/loaded HTTP/1.1\r\nHost: test\r\nX-User-Id: ${user}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`;

describe('shutdown under traffic', () => {
  const startExample = useExamples();

  it(
    'ends idle, silent and half-sent-head connections at once, cuts a request body never finished at the grace period’s end, writes every completed request’s exposure and exits 0',
    async () => {
      const path = scratch('idle.jsonl');
      // A flush interval longer than the test: every exposure is still queued at SIGTERM.
      const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_LOG: path, EXPOSURE_FLUSH_MS: '600000', SHUTDOWN_GRACE_MS: '1000' });
      const { url } = running;
      const users = Array.from({ length: 120 }, (_, i) => `shutdown-user-${i}`);
      // fetch keeps its connections alive: they sit idle in its pool when SIGTERM comes.
      for (const user of users) expect((await fetch(`${url}/api/v1/skills/tree`, { headers: { 'x-user-id': user } })).status).toBe(200);

      const closedOrder: string[] = [];
      const keptAlive = await openRawConnection(url, 'kept-alive', closedOrder);
      keptAlive.socket.write('GET /api/v1/skills/tree HTTP/1.1\r\nHost: test\r\nX-User-Id: kept-alive-user\r\n\r\n');
      await keptAlive.waitFor(/\]\}$/);
      const preconnect = await openRawConnection(url, 'preconnect', closedOrder);
      const halfHead = await openRawConnection(url, 'half-head', closedOrder);
      halfHead.socket.write('GET /api/v1/skills/tree HTTP/1.1\r\nHost: test\r\nX-User-Id: half-head-user\r\n');
      const halfBody = await openRawConnection(url, 'half-body', closedOrder);
      halfBody.socket.write(reportHead('half-body-user', 19));
      await halfBody.waitFor(/100 Continue/);
      halfBody.socket.write('{"duration_ms":');

      expect(await running.stop('SIGTERM')).toBe(0);
      const output = running.output();
      await Promise.all([keptAlive.closed, preconnect.closed, halfHead.closed, halfBody.closed]);
      // The three without a request in the app went at once; the request in progress got the grace period.
      expect(closedOrder.slice(0, 3).sort()).toEqual(['half-head', 'kept-alive', 'preconnect']);
      expect(closedOrder[3]).toBe('half-body');
      expect(halfBody.received()).not.toMatch(/HTTP\/1\.1 [2-5]\d\d/);
      expect(output).toMatch(/closed \d+ idle connections; waiting up to 1000 ms for 1 with a request in progress/);
      expect(output).toContain('cut 1 connections still open after 1000 ms');
      expect(output).toMatch(/stopped; events written to /);

      const exposed = (await readLines(path)).filter((line) => line.event === 'experiment_exposure').map((line) => line.userId);
      expect(exposed.sort()).toEqual([...users, 'kept-alive-user'].sort());
    },
    60_000,
  );

  it(
    'answers a request in progress at SIGTERM within the grace period, with Connection: close, and writes its events',
    async () => {
      const path = scratch('in-flight.jsonl');
      const running = await startExample({
        SKILL_TREE_LIST_ROLLOUT: '50',
        EXPOSURE_LOG: path,
        EXPOSURE_FLUSH_MS: '600000',
        SHUTDOWN_GRACE_MS: '60000',
        SHUTDOWN_TIMEOUT_MS: '90000',
      });
      const { url } = running;
      expect((await fetch(`${url}/api/v1/skills/tree`, { headers: { 'x-user-id': 'slow-reporter' } })).status).toBe(200);
      const slow = await openRawConnection(url, 'slow');
      slow.socket.write(reportHead('slow-reporter', 19));
      await slow.waitFor(/100 Continue/);
      slow.socket.write('{"duration_ms":');

      const exiting = running.stop('SIGTERM');
      await waitFor('the idle connections to be closed', () => running.output(), (output) => output.includes('with a request in progress'), 60_000);
      slow.socket.write('812}');
      const answer = await slow.waitFor(/HTTP\/1\.1 201[\s\S]*\r\n\r\n\{.*\}/);
      expect(answer).toMatch(/\r\nConnection: close\r\n/i);
      expect(answer).toMatch(/\{"recorded":"skill_tree_loaded","variant":"(tree|list)"\}$/);
      await slow.closed; // the server ends it once the answer is out
      expect(await exiting).toBe(0);
      expect(running.output()).not.toContain('cut ');

      const lines = await readLines(path);
      expect(lines.map((line) => [line.event, line.userId])).toEqual([
        ['experiment_exposure', 'slow-reporter'],
        ['skill_tree_loaded', 'slow-reporter'],
      ]);
    },
    120_000,
  );
});

describe('an exposure log that cannot be written stops start-up, naming the path and the reason', () => {
  it.each([
    ['/dev/full', '/dev/full: is a character device, not a regular file'],
    ['/proc/self/bucketry/exposures.jsonl', '/proc/self/bucketry: cannot create the directory: ENOENT'],
  ])('EXPOSURE_LOG=%s', async (log, reason) => {
    const exited = await runExampleToExit({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: log }, 60_000);
    expect(exited.code).toBe(1);
    expect(exited.stderr).toContain(`skill-tree: not starting: EXPOSURE_LOG ${reason}`);
    expect(exited.stdout).not.toContain('listening');
  }, 90_000);

  it('EXPOSURE_LOG under a regular file', async () => {
    const file = scratch('not-a-directory');
    await writeFile(file, 'a file');
    const exited = await runExampleToExit({ SKILL_TREE_LIST_ROLLOUT: '10', EXPOSURE_LOG: `${file}/exposures.jsonl` }, 60_000);
    expect(exited.code).toBe(1);
    expect(exited.stderr).toContain(`skill-tree: not starting: EXPOSURE_LOG ${file}: is not a directory (ENOTDIR), so the log cannot go under it`);
  }, 90_000);
});
