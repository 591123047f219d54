import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 to a real server (PostgreSQL), that a test can take down and bring
 * back on the same port: a database that goes away mid-run, then returns.
 */
export async function tcpProxy(targetPort: number, targetHost = '127.0.0.1') {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (port: number) =>
    new Promise<number>((listening) => {
      server = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => listening((server!.address() as { port: number }).port));
    });
  const port = await listen(0);
  return {
    port,
    /** Closes every connection and stops listening: connecting is refused until `up`. */
    down: () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        if (server?.listening) server.close(() => closed());
        else closed();
      }),
    /** Listens again, on the same port. */
    up: () => listen(port).then(() => undefined),
  };
}
