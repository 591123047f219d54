import { staffTokenMatches } from '@bucketry/http';
import { setRollout, type RolloutStore } from '@bucketry/live';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KEY } from './plan.js';
import { readStatusView, type StatusMonitorView } from './status-page-data.js';
import { PAGE_HEADERS, renderConfirmPage, renderOutcomePage, renderStatusPage } from './status-page-render.js';
import { createCsrf, crossSiteReason } from './status-page-security.js';

/**
 * What the status page shows and guards.
 *
 * @example
 * ```ts
 * const options: StatusPageOptions = { store: openStore('file:rollouts.json'), experiment: 'skill_tree_layout', token: process.env.BUCKETRY_STATUS_TOKEN };
 * ```
 */
export interface StatusPageOptions {
  /** The rollout store every instance follows: the page reads it, the kill switch writes it. */
  readonly store: RolloutStore;
  readonly experiment: string;
  /** The operator token the kill switch asks for. Without one (undefined or empty) the kill switch is off. */
  readonly token?: string;
  /** The monitor's view: stage, looks, guardrail trends, decisions. Without it the page shows the store alone. */
  readonly monitor?: () => Promise<StatusMonitorView | null>;
  /** How often the page reloads itself, seconds. Default 15. */
  readonly refreshSeconds?: number;
  /** Origins besides the request's own host allowed to post (a proxy that rewrites Host), e.g. `https://ops.example.com`. */
  readonly allowedOrigins?: readonly string[];
  /** Told after the kill switch wrote 0% to the store. */
  readonly onRollback?: (change: { readonly actor: string; readonly reason: string; readonly from: number | null; readonly version: number }) => void;
  /** Told when a request failed (the store refused the write, a render threw); the request gets an error page, never a crash. */
  readonly onError?: (error: unknown) => void;
}

/**
 * A request handler for Node's `http` server and Express alike.
 *
 * @example
 * ```ts
 * const handler: StatusHandler = createStatusHandler({ store, experiment: 'skill_tree_layout' });
 * app.use('/rollout-status', handler);
 * ```
 */
export type StatusHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

const MAX_BODY_BYTES = 8 * 1024;
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The form fields of a POST: Express's parsed `req.body` if a body parser ran, else read here (urlencoded, at most 8 KiB). */
async function formOf(req: IncomingMessage): Promise<Record<string, string>> {
  const parsed = (req as { body?: unknown }).body;
  if (parsed !== null && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) {
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
  }
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) throw Object.assign(new Error(`the form must be application/x-www-form-urlencoded, got ${JSON.stringify(type)}`), { status: 415 });
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error(`the form is larger than ${MAX_BODY_BYTES} bytes`), { status: 413 });
    chunks.push(chunk);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/**
 * The status page as a request handler: `GET /` the page (it reloads itself), `GET /status.json`
 * the same state as JSON, `GET /rollback` the confirm step, `POST /rollback` the kill switch.
 * The kill switch sets the rollout to 0% in the store (every instance following it serves control)
 * only when the form comes from a page of this server (Origin / Sec-Fetch-Site, and a CSRF token
 * only its pages carry), was confirmed, and carries the operator token (compared in constant
 * time); anything else is refused with the reason and changes nothing. Mount it in Express as it
 * is (Express is not needed otherwise): links follow `req.baseUrl`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { openStore } from '@bucketry/live';
 * import { createStatusHandler } from '@bucketry/guard';
 *
 * const app = express();
 * app.use('/rollout-status', createStatusHandler({ store: openStore(process.env.BUCKETRY_STORE!), experiment: 'skill_tree_layout', token: process.env.BUCKETRY_STATUS_TOKEN }));
 * ```
 */
export function createStatusHandler(options: StatusPageOptions): StatusHandler {
  const { store, experiment } = options;
  const token = options.token || undefined;
  if (typeof experiment !== 'string' || !KEY.test(experiment)) throw new TypeError(`experiment must be an experiment key ([a-z0-9_.-], up to 64 characters), got ${JSON.stringify(experiment)}`);
  if (store === null || typeof store !== 'object' || typeof store.read !== 'function') throw new TypeError(`store must be a rollout store (openStore(url) from @bucketry/live), got ${String(store)}`);
  const refreshSeconds = options.refreshSeconds ?? 15;
  if (!(Number.isInteger(refreshSeconds) && refreshSeconds >= 1)) throw new TypeError(`refreshSeconds must be a whole number of seconds from 1, got ${String(refreshSeconds)}`);
  const csrf = createCsrf();
  const view = () => readStatusView(store, experiment, options.monitor);

  const send = (res: ServerResponse, status: number, body: string, headers: Readonly<Record<string, string>> = PAGE_HEADERS) => {
    res.writeHead(status, headers);
    res.end(body);
  };
  const refuse = (res: ServerResponse, base: string, status: number, title: string, detail: string) => send(res, status, renderOutcomePage({ base, ok: false, title, detail }));
  const killSwitchOff = (res: ServerResponse, base: string) => refuse(res, base, 403, 'Kill switch off', 'This status page was started without an operator token, so it cannot change the rollout.');

  async function rollback(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
    if (token === undefined) return killSwitchOff(res, base);
    const crossSite = crossSiteReason(req.headers, options.allowedOrigins);
    if (crossSite !== null) return refuse(res, base, 403, 'Refused: cross-site request', `${crossSite}; the kill switch only takes forms posted from this status page. Nothing was changed.`);
    let form: Record<string, string>;
    try {
      form = await formOf(req);
    } catch (error) {
      return refuse(res, base, (error as { status?: number }).status ?? 400, 'Refused: unreadable form', `${message(error)}. Nothing was changed.`);
    }
    const csrfProblem = csrf.check(form.csrf);
    if (csrfProblem !== null) return refuse(res, base, 403, 'Refused: CSRF token', `${csrfProblem}. Nothing was changed.`);
    if (form.confirm !== 'yes') return refuse(res, base, 400, 'Not confirmed', 'The rollback was not confirmed (confirm=yes). Nothing was changed.');
    if (!staffTokenMatches(form.token, token)) return refuse(res, base, 403, 'Refused: wrong operator token', 'The operator token does not match. Nothing was changed.');
    const actor = form.actor?.trim() || 'status-page';
    const reason = form.reason?.trim() || 'kill switch from the status page';
    try {
      const { record, previous } = await setRollout(store, experiment, { percent: 0, actor, reason, phase: 'rollback' });
      options.onRollback?.({ actor, reason, from: previous?.rollout ?? null, version: record.version });
      send(res, 200, renderOutcomePage({
        base,
        ok: true,
        title: `Rolled back ${experiment} to 0%`,
        detail: `${previous ? `${previous.rollout}%` : 'no record'} → 0% (version ${previous?.version ?? 0} → ${record.version}) by ${actor}: ${reason}. Every instance following the ${store.kind} store serves control within seconds.`,
      }));
    } catch (error) {
      options.onError?.(error);
      refuse(res, base, 503, 'Rollback failed', `The ${store.kind} store refused the change: ${message(error)}. Roll back with \`bucketry rollout set ${experiment} 0\` or your deploy's rollout variable.`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> {
    const base = ((req as { baseUrl?: unknown }).baseUrl as string | undefined) ?? '';
    const path = new URL(req.url ?? '/', 'http://status.invalid').pathname;
    const method = req.method ?? 'GET';
    const read = method === 'GET' || method === 'HEAD';
    if ((path === '/' || path === '') && read) return send(res, 200, renderStatusPage(await view(), { base, refreshSeconds, killSwitch: token !== undefined }));
    if (path === '/status.json' && read) return send(res, 200, JSON.stringify(await view()), { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    if (path === '/rollback' && read) {
      if (token === undefined) return killSwitchOff(res, base);
      return send(res, 200, renderConfirmPage(await view(), { base, csrf: csrf.issue() }));
    }
    if (path === '/rollback' && method === 'POST') return rollback(req, res, base);
    if (next) return next();
    refuse(res, base, 404, 'Not found', `No page at ${path}.`);
  }

  return (req, res, next) => {
    handle(req, res, next).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) send(res, 500, renderOutcomePage({ base: '', ok: false, title: 'Status page error', detail: message(error) }));
      else res.end();
    });
  };
}

/**
 * The status page on a server of its own, as `bucketry monitor --serve <port>` starts it.
 * Listens on `host` (default 127.0.0.1: put a proxy with TLS in front to reach it from elsewhere);
 * port 0 picks a free one. Resolves once listening, with its URL and the stop.
 *
 * @example
 * ```ts
 * const server = await createStatusServer({ store, experiment: 'skill_tree_layout', token: process.env.BUCKETRY_STATUS_TOKEN, port: 4000 });
 * console.log(`status page on ${server.url}`);
 * await server.close();
 * ```
 */
export async function createStatusServer(options: StatusPageOptions & { readonly port: number; readonly host?: string }): Promise<{ readonly url: string; close(): Promise<void> }> {
  const handler = createStatusHandler(options);
  const server = createServer((req, res) => handler(req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
