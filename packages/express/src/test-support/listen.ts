import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real server on 127.0.0.1, on a port the OS picks. */
export interface TestServer {
  /** e.g. `http://127.0.0.1:49152` */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1, port 0. */
export async function listen(app: RequestListener): Promise<TestServer> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // fetch keeps connections alive; without this, close would wait for them to time out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
