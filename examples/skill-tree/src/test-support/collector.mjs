// A Segment-style collector on 127.0.0.1 that misbehaves on cue, for the tests and
// bench/fault-injection.mjs: it takes POSTed `{"batch":[…]}` bodies and answers each request as
// `answer()` says at that moment: 200 (and keeps the events), an error status (optionally with
// Retry-After), or no answer at all (the request hangs until the client gives up).
import { createServer } from 'node:http';

/**
 * Starts the collector. `answer()` returns `{ status: 200 }`, `{ status: 500 }`,
 * `{ status: 429, retryAfter: '2' }` or `{ hang: true }` for each request as it arrives (default:
 * always 200). Resolves with `url`, `received` (every track call of every batch answered 200,
 * in order, duplicates included), `requests` (how many came, by answer) and
 * `close()` (which also ends the hanging requests).
 *
 * @param {{ answer?: () => { status?: number, retryAfter?: string, hang?: boolean } }} [options]
 */
export async function startCollector({ answer = () => ({ status: 200 }) } = {}) {
  const received = [];
  const requests = { ok: 0, failed: 0, hung: 0 };
  const sockets = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const { status = 200, retryAfter, hang = false } = answer();
      if (hang) {
        requests.hung++;
        return; // never answered: the client's timeout has to end it
      }
      if (status === 200) {
        requests.ok++;
        received.push(...JSON.parse(Buffer.concat(chunks).toString('utf8')).batch);
      } else {
        requests.failed++;
      }
      res.writeHead(status, { 'content-type': 'application/json', ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }) });
      res.end(status === 200 ? '{"success":true}' : '{"error":"injected"}');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1/batch`,
    received,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
