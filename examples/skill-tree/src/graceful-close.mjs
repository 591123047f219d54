// Closing a node:http server without letting any one client hold it open. server.close() waits
// for every connection to end, and Node's closeIdleConnections() ends only keep-alive connections
// between requests: a connection that has sent nothing yet (a browser's preconnect, a load
// balancer's warm pool) or only part of a request's head counts as busy, so one of them kept
// shutdown waiting until the process was killed. Here a connection is busy only while the app
// holds a request of it; every other one is ended at once.

/**
 * Follows `server`'s connections from now on (call it before `listen`) and returns
 * `closeGracefully`, which:
 * 1. stops accepting connections;
 * 2. ends, at once, every connection without a request in the app (idle keep-alive, nothing sent
 *    yet, a request head not complete);
 * 3. lets the requests in the app finish, for at most `graceMs`; each answer asks its client to
 *    close (`Connection: close`) and its connection ends once the answer is sent;
 * 4. then ends every connection still open (a request body never completed, a slow handler).
 *
 * It resolves once the server is closed, with `{ idle, busy, cut }`: the connections ended at
 * once, the ones that had a request in the app, and those of them cut at the grace period's end.
 * `onIdleClosed(count, busy)` is called right after step 2, for logging.
 */
export function trackConnections(server) {
  /** Every open connection, and how many requests of it the app holds. */
  const requestsOf = new Map();
  /** The answers not finished yet. */
  const answers = new Set();
  let closing = false;

  server.on('connection', (socket) => {
    requestsOf.set(socket, 0);
    socket.once('close', () => requestsOf.delete(socket));
  });
  server.on('request', (req, res) => {
    const { socket } = req;
    requestsOf.set(socket, (requestsOf.get(socket) ?? 0) + 1);
    // A request that arrives on a busy keep-alive connection while closing is answered, then the
    // connection ends.
    if (closing) res.shouldKeepAlive = false;
    answers.add(res);
    res.once('close', () => {
      answers.delete(res);
      const left = (requestsOf.get(socket) ?? 1) - 1;
      if (!requestsOf.has(socket)) return;
      requestsOf.set(socket, left);
      if (closing && left === 0) socket.destroySoon();
    });
  });

  const busy = () => [...requestsOf].filter(([, requests]) => requests > 0).map(([socket]) => socket);

  return {
    closeGracefully({ graceMs, onIdleClosed = () => {} }) {
      closing = true;
      const closed = new Promise((resolve) => server.close(() => resolve()));
      let idle = 0;
      for (const [socket, requests] of requestsOf) {
        if (requests > 0) continue;
        idle++;
        socket.destroy();
      }
      const inApp = busy();
      onIdleClosed(idle, inApp.length);
      // Answers not started yet carry Connection: close; a started one ends its connection above.
      for (const res of answers) if (!res.headersSent) res.shouldKeepAlive = false;
      let cut = 0;
      const timer = setTimeout(() => {
        for (const socket of requestsOf.keys()) {
          cut++;
          socket.destroy();
        }
      }, graceMs);
      return closed.then(() => {
        clearTimeout(timer);
        return { idle, busy: inApp.length, cut };
      });
    },
  };
}
