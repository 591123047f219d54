import { createServer, type Socket } from 'node:net';
import pg from 'pg';
import { POSTGRES_URL, postgresKit, uniqueName } from '../../../../test-support/postgres-kit.js';

export { POSTGRES_URL };
/** A schema no other test file or run uses. */
export const uniqueSchema = uniqueName;
export const { dropSchema, countingPool } = postgresKit(pg);

/** A TCP server that accepts connections and never answers: a database that hangs. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((closed) => (sockets.forEach((socket) => socket.destroy()), server.close(() => closed()))),
  };
}
