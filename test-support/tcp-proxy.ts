import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The port on 127.0.0.1 that forwards to the target. */
  readonly port: number;
  /** An outage: every connection through the proxy is cut and new ones are refused. */
  cut(): Promise<void>;
  /** The store is back: the same port forwards again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free port of 127.0.0.1 in front of a real PostgreSQL or Redis, so a test can
 * take the store away from what it tests (and only from that) and bring it back on the same port,
 * without touching the service other tests use.
 */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const created = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.once('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        port = (created.address() as { port: number }).port;
        server = created;
        resolve();
      });
    });
  const stop = async () => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await listen();
  return {
    get port() {
      return port;
    },
    cut: stop,
    restore: listen,
    close: stop,
  };
}
