import { connect, type Socket } from 'node:net';

export interface RawConnection {
  readonly socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves once the server has closed the connection (or it failed). */
  readonly closed: Promise<void>;
  /** Resolves once the received text matches. */
  waitFor(pattern: RegExp): Promise<string>;
}

/**
 * A TCP connection to the example's URL that sends exactly what the test writes: nothing (a
 * browser's preconnect), a request head in part, a body in part. `closed` resolves when the
 * server ends it; `order` (if given) gets `name` pushed at that moment, so tests can assert which
 * connection the server ended first without timing anything.
 */
export async function openRawConnection(url: string, name: string, order?: string[]): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  const listeners = new Set<() => void>();
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    for (const listener of listeners) listener();
  });
  const closed = new Promise<void>((resolve) => {
    socket.on('error', () => {}); // a reset is a close here
    socket.once('close', () => {
      order?.push(name);
      resolve();
    });
  });
  return {
    socket,
    received: () => text,
    closed,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            listeners.delete(check);
            resolve(match[0]);
          }
        };
        listeners.add(check);
        void closed.then(() => {
          if (listeners.delete(check)) reject(new Error(`${name} closed before ${pattern} arrived; got: ${JSON.stringify(text)}`));
        });
        check();
      }),
  };
}
