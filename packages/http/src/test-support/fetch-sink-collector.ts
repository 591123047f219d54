import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { exposureFor, type ExposureEvent } from '@bucketry/core';
import { afterEach } from 'vitest';

/** An exposure of `unit` to skill_tree_layout's list variant, with a fresh eventId. */
export const exposureEvent = (unit: string): ExposureEvent =>
  exposureFor({ experiment: 'skill_tree_layout', variant: 'list', inExperiment: true, reason: 'bucketed', bucket: 12_345, unit }, '3690faca')!;

/** One POST the collector read: when (Date.now()), and what. */
export interface Received {
  readonly at: number;
  readonly method: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** What the collector answers to one request: a status and headers, or 'hang' (never answer). */
export type Answer = number | { readonly status: number; readonly headers?: Record<string, string> } | 'hang';

export interface Collector {
  readonly url: string;
  readonly received: Received[];
  /** Connections accepted and not yet closed. */
  readonly openSockets: () => number;
  /** Requests read and not answered whose connection is still open: a hung request left open by its client. */
  readonly pendingRequests: () => number;
  readonly close: () => Promise<void>;
}

/**
 * A collector on 127.0.0.1 that answers each POST, once its body is read, with the next of
 * `answers` (then 204), and counts its connections from the server's side: a client that leaks a
 * socket leaves one open here.
 */
export async function startCollector(answers: Answer[] = []): Promise<Collector> {
  const received: Received[] = [];
  const open = new Set<Socket>();
  let pending = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ at: Date.now(), method: req.method, headers: req.headers, body });
      const answer = answers.shift() ?? 204;
      if (answer === 'hang') {
        pending++;
        // The response closes only with its connection: when the client aborts.
        res.on('close', () => pending--);
        return;
      }
      const { status, headers = {} } = typeof answer === 'number' ? { status: answer } : answer;
      res.writeHead(status, headers);
      res.end(status === 204 ? undefined : 'nope');
    });
  });
  server.on('connection', (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/exposures`,
    received,
    openSockets: () => open.size,
    pendingRequests: () => pending,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** For a test file: a function that starts a collector, each closed after its test. */
export function collectorsClosedAfterEach(): (answers?: Answer[]) => Promise<Collector> {
  const started: Collector[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => c.close()));
  });
  return async (answers) => {
    const collector = await startCollector(answers);
    started.push(collector);
    return collector;
  };
}
