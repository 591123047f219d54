import type { ServerResponse } from 'node:http';

/**
 * Sends a JSON body that no cache keeps: what every runbook route answers. Plain Node calls, so it
 * behaves the same under Express 4 and 5.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}
