// The skill-tree API: the runbook's experiment behind SKILL_TREE_LIST_ROLLOUT, with its status,
// recent-events and health routes. server.mjs starts it; tests and the traffic script start that.
import express from 'express';
import { createBatchingSink, defineExperiment } from '@bucketry/core';
import {
  createExperimentMiddleware,
  createRecentExposuresBuffer,
  healthRoute,
  recentExposuresRoute,
  rolloutStatusRoute,
} from '@bucketry/express';
import { createJsonlFile } from './jsonl-file.mjs';
import { exposureToSegment, outcomeToSegment } from './segment.mjs';
import { skillList, skillTree } from './skills.mjs';

/** The longest a user id from X-User-Id may be; longer ones are treated as no user. */
const MAX_USER_ID_LENGTH = 256;

/**
 * Builds the app from settings (see config.mjs). `log(message)` gets operational messages.
 * Returns the app and `close()`, which writes every queued event and closes the file.
 */
export function createSkillTreeApp(config, log = (message) => console.error(message)) {
  const skillTreeLayout = defineExperiment({
    key: 'skill_tree_layout',
    variants: ['tree', 'list'], // tree is control
    rollout: config.rollout,
  });

  const file = createJsonlFile(config.exposureLog);
  // What GET /api/events shows: the newest exposures and session events, as written to the file.
  const recent = createRecentExposuresBuffer({ capacity: 1000 });
  const batching = createBatchingSink({
    deliver: (events) => file.append(events.map(exposureToSegment)),
    maxBatchSize: 100,
    flushIntervalMs: config.flushIntervalMs,
    maxQueueSize: 50_000,
    onError: (error, info) => log(`exposures: ${info.kind} of ${info.events} events${info.reason ? ` (${info.reason})` : ''}: ${error}`),
  });
  const sink = {
    write(event) {
      recent.record(exposureToSegment(event));
      batching.write(event);
    },
    flush: () => batching.flush(),
    close: () => batching.close(),
  };

  const experiments = createExperimentMiddleware({
    experiments: [skillTreeLayout],
    sink,
    // Stands in for real authentication: the signed-in user's id, as a gateway would pass it.
    user: (req) => {
      const id = req.get('x-user-id')?.trim();
      return id && id.length <= MAX_USER_ID_LENGTH ? id : undefined;
    },
    onError: (error, context) => log(`bucketry ${context.source}${context.experiment ? ` (${context.experiment})` : ''}: ${error}`),
  });

  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy on this host, cookies get Secure when the proxy says https.
  app.set('trust proxy', 'loopback');

  app.get('/api/v1/skills/tree', experiments('skill_tree_layout'), (_req, res) => {
    const layout = res.locals.experiments.variant('skill_tree_layout');
    res.json(layout === 'list' ? { layout, skills: skillList() } : { layout, skills: skillTree() });
  });

  // The outcome the experiment is judged on: a learning session started from the skills page.
  app.post('/api/v1/sessions', experiments('skill_tree_layout'), async (_req, res) => {
    const { experiments: found } = res.locals;
    const unit = found.unit();
    // Peek: recording an outcome shows nothing, so it must not count as an exposure.
    const { variant } = found.peek('skill_tree_layout');
    const record = outcomeToSegment('session_started_from_tree', unit, { experiment: 'skill_tree_layout', variant });
    try {
      await file.append([record]);
    } catch (error) {
      log(`session event not written: ${error}`);
      res.status(503).json({ error: 'could not record the session' });
      return;
    }
    recent.record(record);
    res.status(201).json({ recorded: 'session_started_from_tree', variant });
  });

  app.get('/api/feature-flags/skill_tree_layout', rolloutStatusRoute(skillTreeLayout));
  app.get(
    '/api/events',
    recentExposuresRoute({ buffer: recent, enabled: config.eventsToken !== undefined, token: config.eventsToken }),
  );
  app.get('/api/healthz', healthRoute({ details: () => ({ exposures: batching.stats() }) }));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  return {
    app,
    experiment: skillTreeLayout,
    /** Writes every queued exposure, then closes the file. */
    async close() {
      await experiments.close();
      await file.close();
    },
  };
}
