// Steady traffic from the bench process to the instances of the example API: a bounded loop of
// GET /api/v1/skills/tree per in-flight slot, each request to the next instance in rotation for
// the next user, over keep-alive connections on 127.0.0.1. Every answer goes to `onResponse` with
// when it was sent and received (performance.now(), ms) and the variant in its header.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** A safety bound: no run sends more than this many requests. */
const MAX_REQUESTS = 3_000_000;
/** A request that takes longer counts as failed (and would be a finding). */
const REQUEST_TIMEOUT_MS = 10_000;

function get(agent, url, user) {
  return new Promise((resolve) => {
    const sentAt = performance.now();
    const req = request(`${url}/api/v1/skills/tree`, { agent, headers: { 'x-user-id': user }, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.resume();
      res.once('end', () => resolve({ sentAt, receivedAt: performance.now(), status: res.statusCode, variant: res.headers['x-experiment-skill-tree-layout'] }));
      res.once('error', (error) => resolve({ sentAt, receivedAt: performance.now(), status: 0, error: error.message }));
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.once('error', (error) => resolve({ sentAt, receivedAt: performance.now(), status: 0, error: error.message }));
    req.end();
  });
}

/**
 * Traffic to `urls` (one per instance) for `users`, `perInstance` requests in flight to each
 * instance. `start()` begins, `stop()` ends and resolves once every loop has; `drain(i)` takes an
 * instance out of rotation (as a load balancer drains one about to restart) and `restore(i, url)`
 * puts it back at its new URL. `onResponse(answer)` gets `{ instance, user, sentAt,
 * receivedAt, status, variant, error }`.
 */
export function createTraffic({ urls, users, perInstance = 2, onResponse }) {
  const targets = urls.map((url) => ({ url, inRotation: true, inFlight: 0, agent: new Agent({ keepAlive: true, maxSockets: perInstance }) }));
  let running = false;
  let sent = 0;
  let nextUser = 0;
  let loops = [];

  async function loop(instance) {
    while (running && sent < MAX_REQUESTS) {
      const target = targets[instance];
      if (!target.inRotation) {
        await new Promise((done) => setTimeout(done, 10));
        continue;
      }
      const user = users[nextUser++ % users.length];
      sent++;
      target.inFlight++;
      const answer = await get(target.agent, target.url, user);
      target.inFlight--;
      onResponse({ instance, user, ...answer });
    }
  }

  return {
    start() {
      running = true;
      loops = targets.flatMap((_, instance) => Array.from({ length: perInstance }, () => loop(instance)));
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      for (const target of targets) target.agent.destroy();
    },
    /** Takes the instance out of rotation and resolves once its requests in flight have answered. */
    async drain(instance) {
      const target = targets[instance];
      target.inRotation = false;
      while (target.inFlight > 0) await new Promise((done) => setTimeout(done, 5));
      target.agent.destroy(); // its idle keep-alive sockets: a stopping server would close them under a request
    },
    restore(instance, url) {
      const target = targets[instance];
      target.agent = new Agent({ keepAlive: true, maxSockets: perInstance });
      target.url = url;
      target.inRotation = true;
    },
  };
}
