// The traffic, the awkward connections and the counting of bench/fault-injection.mjs: requests
// from distinct users with the variant each answer names, idle and half-sent connections, and
// what the exposure log (or the collector) holds against what was answered.
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';

const HEADER = 'x-experiment-skill-tree-layout';

/**
 * Sends GET /api/v1/skills/tree for users `${prefix}-0`, `${prefix}-1`, … with `concurrency` in
 * flight over keep-alive connections, until `enough(responses)` says stop sending or the server
 * stops answering. `at(responses)` runs after each answer (the scenarios act on it: fill a disk,
 * send a signal). Resolves with `responses` (200s), `tagged` (user → variant from the header) and
 * `failed` (requests refused or cut: after a signal, or never answered).
 */
export async function drive(base, { prefix, concurrency, enough, at = () => {} }) {
  const tagged = new Map();
  let responses = 0;
  let failed = 0;
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && !enough(responses)) {
      const user = `${prefix}-${next++}`;
      try {
        const response = await fetch(`${base}/api/v1/skills/tree`, { headers: { 'x-user-id': user }, signal: AbortSignal.timeout(60_000) });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`answered ${response.status}`);
        responses++;
        const variant = response.headers.get(HEADER);
        if (variant) tagged.set(user, variant);
        await at(responses);
      } catch {
        failed++;
        // A server that stopped answering stays stopped: this worker is done.
        stopped = true;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { responses, tagged, failed };
}

/** Opens a TCP connection and writes `text` (nothing: a preconnect); resolves once it is connected. */
function openConnection(base, text) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      if (text) socket.write(text);
      resolve(socket);
    });
    socket.on('error', () => {});
  });
}

/**
 * The connections that used to hold shutdown open: `idle` keep-alive ones that sent nothing,
 * `halfHead` ones with part of a request's head, `halfBody` ones whose request is in the app and
 * whose body never ends (the server answers 100 Continue once it has them). Resolves with
 * `count` and `destroy()`.
 */
export async function openAwkwardConnections(base, { idle = 3, halfHead = 2, halfBody = 2 } = {}) {
  const sockets = [];
  for (let i = 0; i < idle; i++) sockets.push(await openConnection(base, ''));
  for (let i = 0; i < halfHead; i++) sockets.push(await openConnection(base, 'GET /api/v1/skills/tree HTTP/1.1\r\nHost: bench\r\nX-User-Id: half'));
  for (let i = 0; i < halfBody; i++) {
    const socket = await openConnection(
      base,
      'POST /api/v1/skills/tree/loaded HTTP/1.1\r\nHost: bench\r\nX-User-Id: half-body\r\nContent-Type: application/json\r\nContent-Length: 19\r\nExpect: 100-continue\r\n\r\n',
    );
    await new Promise((resolve) => socket.once('data', resolve)); // 100 Continue: the app has it
    socket.write('{"duration_ms":');
    sockets.push(socket);
  }
  return { count: sockets.length, destroy: () => sockets.forEach((socket) => socket.destroy()) };
}

/** The track calls in a JSONL file, and the lines that are not JSON (torn). */
export async function readLog(path) {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  const records = [];
  let torn = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      torn++;
    }
  }
  return { records, torn };
}

/**
 * Compares what was answered (`tagged`: user → variant) with the exposure records found:
 * `inLog` distinct (unit, variant) pairs, `lost` answered pairs missing, `duplicated` extra copies
 * of a pair, `mismatched` pairs whose variant differs from the answer, `unanswered` pairs of
 * requests the client never saw answered (cut at a signal: there, not lost).
 */
export function comparePairs(tagged, records) {
  const seen = new Map();
  const units = new Set();
  for (const record of records) {
    if (record.event !== 'experiment_exposure') continue;
    const unit = record.userId ?? record.anonymousId;
    const key = `${unit}\u0000${record.properties?.variant}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    units.add(unit);
  }
  let lost = 0;
  let mismatched = 0;
  for (const [user, variant] of tagged) {
    if (seen.has(`${user}\u0000${variant}`)) continue;
    if (units.has(user)) mismatched++;
    else lost++;
  }
  let duplicated = 0;
  let unanswered = 0;
  for (const [key, count] of seen) {
    duplicated += count - 1;
    if (!tagged.has(key.split('\u0000')[0])) unanswered++;
  }
  return { inLog: seen.size, lost, duplicated, mismatched, unanswered };
}

/** The losses the server reported as it stopped ("N exposure events dropped"), 0 if none. */
export const reportedDropped = (output) => Number(/(\d+) exposure events dropped/.exec(output)?.[1] ?? 0);
