// The skill-tree API: the runbook's experiment behind SKILL_TREE_LIST_ROLLOUT (or live from a store:
// live-rollouts.mjs updates the client this builds), with its status, recent-events and health
// routes. server.mjs starts it; tests and the traffic script start that.
import express from 'express';
import { createBucketry } from '@bucketry/core';
import {
  createExperimentMiddleware,
  createRecentExposuresBuffer,
  headerText,
  healthRoute,
  recentExposuresRoute,
  rolloutStatusRoute,
} from '@bucketry/express';
import { createEventSink } from './event-sink.mjs';
import { exposureToSegment, outcomeToSegment } from './segment.mjs';
import { skillList, skillTree } from './skills.mjs';
import { skillOrderExperiment, skillOrderRoutes } from './skill-order.mjs';

/** The longest a user id from X-User-Id may be; longer ones are treated as no user. */
const MAX_USER_ID_LENGTH = 256;
/** The longest page load the example records, in milliseconds; longer reports are refused. */
const MAX_LOAD_MS = 600_000;
/** Why a reported load time is refused, or undefined when it is fine. */
function checkDuration(value) {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_LOAD_MS) return undefined;
  return `duration_ms must be a number of milliseconds from 0 to ${MAX_LOAD_MS}, got ${JSON.stringify(value) ?? 'nothing'}`;
}

/** Why a reported error code is refused, or undefined when it is fine. */
function checkErrorCode(value) {
  if (typeof value === 'string' && /^[a-z0-9_]{1,64}$/.test(value)) return undefined;
  return `code must be 1 to 64 characters of a-z, 0-9 and _, like render_timeout, got ${JSON.stringify(value)?.slice(0, 80) ?? 'nothing'}`;
}

/** The configuration in force, for the health route: the client's status with times and errors as text. */
function configStatus(status) {
  const { lastError } = status;
  return {
    version: status.version,
    source: status.source,
    loadedAt: new Date(status.loadedAt).toISOString(),
    stale: status.stale,
    staleReason: status.staleReason ?? null,
    lastError: lastError === undefined ? null : lastError instanceof Error ? lastError.message : String(lastError),
  };
}

/**
 * Builds the app from settings (see config.mjs), writing events to `file` (an open JSONL file,
 * jsonl-file.mjs), or to the collector at `config.collectorUrl` (then `file` is unused; see
 * event-sink.mjs). `log(message)` gets operational messages. Returns the app, the client and the
 * base configs (for a live source to update), `destination`, `losses()` (what never got there,
 * one line each) and `close({ deadlineMs })`, which delivers every queued event and closes the file.
 */
export function createSkillTreeApp(config, file, log = (message) => console.error(message)) {
  // The base config; with a store its rollout is only the fallback (see config.mjs).
  // tree is control; skill_order interleaves two orders of the skills list (skill-order.mjs).
  const base = [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: config.rollout }, skillOrderExperiment];

  // What GET /api/events shows: the newest exposures and session events, as written to the file.
  const recent = createRecentExposuresBuffer({ capacity: 1000 });
  const events = createEventSink(config, file, log);
  const { batching } = events;
  const sink = {
    write(event) {
      recent.record(exposureToSegment(event));
      batching.write(event);
    },
    flush: () => batching.flush(),
    close: () => batching.close(),
  };

  // Sink failures (from the client), and the middleware's own (a user lookup that threw, …).
  const reportBucketry = (error, context) => log(`bucketry ${context.source}${context.experiment ? ` (${context.experiment})` : ''}: ${error}`);
  const client = createBucketry({
    experiments: base,
    sink,
    onError: reportBucketry,
  });

  const experiments = createExperimentMiddleware({
    client,
    // Stands in for real authentication: the signed-in user's id, as a gateway would pass it.
    user: (req) => {
      const id = headerText(req.get('x-user-id'), 'X-User-Id')?.trim(); // the UTF-8 clients send
      return id && id.length <= MAX_USER_ID_LENGTH ? id : undefined;
    },
    onError: reportBucketry,
  });

  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy on this host, cookies get Secure when the proxy says https.
  app.set('trust proxy', 'loopback');

  app.get('/api/v1/skills/tree', experiments('skill_tree_layout'), (_req, res) => {
    const layout = res.locals.experiments.variant('skill_tree_layout');
    res.json(layout === 'list' ? { layout, skills: skillList() } : { layout, skills: skillTree() });
  });

  /** Outcome events answered 503: the caller was told, and the log misses them. */
  let outcomesNotWritten = 0;
  /** Writes an outcome event, then shows it in /api/events; one not written is counted and logged, and rejects. */
  async function writeOutcome(record) {
    try {
      await events.writeOutcome(record);
    } catch (error) {
      outcomesNotWritten++;
      log(`${record.event} event not written: ${error}`);
      throw error;
    }
    recent.record(record);
  }
  /**
   * Appends an outcome event of the request's unit, with the variant it is on, and answers 201.
   * Peek: recording an outcome shows nothing, so it must not count as an exposure.
   */
  async function recordOutcome(res, name, properties = {}) {
    const { experiments: found } = res.locals;
    const { variant } = found.peek('skill_tree_layout');
    try {
      await writeOutcome(outcomeToSegment(name, found.unit(), { experiment: 'skill_tree_layout', variant, ...properties }));
    } catch {
      return void res.status(503).json({ error: `could not record ${name}` });
    }
    res.status(201).json({ recorded: name, variant });
  }

  // The outcome the experiment is judged on: a learning session started from the skills page.
  app.post('/api/v1/sessions', experiments('skill_tree_layout'), (_req, res) => recordOutcome(res, 'session_started_from_tree'));

  // The guardrails' events, reported by the page once it has rendered the skills (or failed to):
  // how long the load took, and render errors. The analyze presets judge p95 and error rate on them.
  const telemetryBody = express.json({ limit: '1kb' });
  app.post('/api/v1/skills/tree/loaded', telemetryBody, experiments('skill_tree_layout'), (req, res) => {
    const problem = checkDuration(req.body?.duration_ms);
    if (problem) return void res.status(400).json({ error: problem });
    return recordOutcome(res, 'skill_tree_loaded', { duration_ms: req.body.duration_ms });
  });
  app.post('/api/v1/skills/tree/errors', telemetryBody, experiments('skill_tree_layout'), (req, res) => {
    const problem = checkErrorCode(req.body?.code);
    if (problem) return void res.status(400).json({ error: problem });
    return recordOutcome(res, 'skill_tree_error', { code: req.body.code });
  });

  app.use(skillOrderRoutes({ client, experiments, writeEvent: writeOutcome }));

  // The experiment in force now: a store's change shows here, in the header and in the cookie at once.
  app.get('/api/feature-flags/skill_tree_layout', rolloutStatusRoute(() => client.experiment('skill_tree_layout')));
  app.get(
    '/api/events',
    recentExposuresRoute({ buffer: recent, enabled: config.eventsToken !== undefined, token: config.eventsToken }),
  );
  /** Events that never reached the file or collector, one line each; empty while nothing is lost. */
  const losses = () => {
    const { dropped } = batching.stats();
    return [
      ...(dropped > 0 ? [`${dropped} exposure events dropped`] : []),
      ...(outcomesNotWritten > 0 ? [`${outcomesNotWritten} outcome events not written`] : []),
    ];
  };
  const healthDetails = () => ({ exposures: batching.stats(), config: configStatus(client.status()) });
  const healthy = healthRoute({ details: healthDetails });
  // Once anything is lost the log is incomplete for good: 503, so a load balancer and a deploy
  // check act on it, with what was lost (the counters say how much), until the process restarts.
  app.get('/api/healthz', (req, res) => {
    const lost = losses();
    if (lost.length === 0) return healthy(req, res);
    res.status(503).json({ status: 'degraded', problems: lost.map((line) => `${line}: ${events.destination} is incomplete`), ...healthDetails() });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  // Bodies express.json refuses (not JSON, too large) get a JSON answer, not Express's HTML page.
  app.use((error, _req, res, _next) => {
    const status = Number.isInteger(error?.status) && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log(`request failed: ${error}`);
    res.status(status).json({ error: status === 500 ? 'internal error' : `request body: ${error.message}` });
  });

  return {
    app,
    client,
    base,
    losses,
    /** Where the events go: the file's path or the collector's URL. */
    destination: events.destination,
    /**
     * Delivers every queued event, waiting at most `deadlineMs` (what is left then is dropped and
     * counted), then syncs and closes the file (rejecting if that fails).
     */
    async close({ deadlineMs } = {}) {
      await events.close({ deadlineMs });
      await experiments.close();
    },
  };
}
