// EXPOSURE_COLLECTOR_URL: the events POSTed in Segment's batch format through @bucketry/http's
// createFetchSink, to a real local collector that fails on cue.
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from './test-support/collector.mjs';
import { useExamples } from './test-support/start-example.js';

type Collector = Awaited<ReturnType<typeof startCollector>>;
interface Track {
  event: string;
  userId?: string;
  messageId: string;
  properties: { variant: string };
}

describe('the skill-tree example with EXPOSURE_COLLECTOR_URL', () => {
  let collector: Collector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });
  // Registered after the collector's: each test's example is killed before its collector closes.
  const startExample = useExamples();

  it('delivers every exposure once and each outcome after its exposure, through a collector answering 500 at first', async () => {
    let answered = 0;
    const started = await startCollector({ answer: () => ({ status: ++answered <= 3 ? 500 : 200 }) });
    collector = started;
    const running = await startExample({ SKILL_TREE_LIST_ROLLOUT: '50', EXPOSURE_COLLECTOR_URL: started.url, EXPOSURE_FLUSH_MS: '20' });
    expect(running.output()).toContain(`exposures to ${started.url}`);
    const users = Array.from({ length: 150 }, (_, i) => `collector-user-${i}`);
    for (const user of users) expect((await fetch(`${running.url}/api/v1/skills/tree`, { headers: { 'x-user-id': user } })).status).toBe(200);
    const session = await fetch(`${running.url}/api/v1/sessions`, { method: 'POST', headers: { 'x-user-id': users[7]! } });
    expect(session.status).toBe(201);

    expect(await running.stop('SIGTERM')).toBe(0);
    expect(running.output()).toContain(`stopped; events written to ${started.url}`);
    expect(started.requests.failed).toBe(3);
    const received = started.received as Track[];
    expect(new Set(received.map((track) => track.messageId)).size).toBe(received.length);
    const exposures = received.filter((track) => track.event === 'experiment_exposure');
    expect(exposures.map((track) => track.userId).sort()).toEqual([...users].sort());
    const sessionAt = received.findIndex((track) => track.event === 'session_started_from_tree');
    expect(received[sessionAt]).toMatchObject({ userId: users[7], properties: { experiment: 'skill_tree_layout' } });
    expect(sessionAt).toBeGreaterThan(received.findIndex((track) => track.userId === users[7]));
  }, 60_000);

  it('with a collector that hangs at SIGTERM: aborts its requests, counts what is left as dropped and exits 1 on its own', async () => {
    const started = await startCollector({ answer: () => ({ hang: true }) });
    collector = started;
    const running = await startExample({
      SKILL_TREE_LIST_ROLLOUT: '50',
      EXPOSURE_COLLECTOR_URL: started.url,
      EXPOSURE_FLUSH_MS: '20',
      SHUTDOWN_TIMEOUT_MS: '4000',
      SHUTDOWN_GRACE_MS: '1000',
    });
    for (let i = 0; i < 40; i++) expect((await fetch(`${running.url}/api/v1/skills/tree`, { headers: { 'x-user-id': `hang-user-${i}` } })).status).toBe(200);

    expect(await running.stop('SIGTERM')).toBe(1);
    const output = running.output();
    expect(output).toContain(`stopped; the log ${started.url} is incomplete: 40 exposure events dropped`);
    // Ended by itself, not by the shutdown timer: the hanging request was aborted, nothing held it.
    expect(output).not.toContain('shutdown did not finish');
    expect(started.requests.hung).toBeGreaterThan(0);
  }, 60_000);
});
