import { afterEach } from 'vitest';
import { createMemorySink, defineExperiment, type ExperimentConfig, type MemorySink } from '@bucketry/core';
import { headerText } from '@bucketry/http';
import type { ExperimentMiddlewareOptions } from '../middleware.js';
import { createExperimentMiddleware } from '../middleware.js';
import type { ExpressErrorContext } from '../error-context.js';
import type { AnyExpressApp } from './express-versions.js';
import { listen, type TestServer } from './listen.js';

/** The runbook's experiment at a given rollout. */
export const skillTreeAt = (rollout: number, extra: Partial<ExperimentConfig<'skill_tree_layout', 'tree' | 'list'>> = {}) =>
  defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout, ...extra });

export interface SkillTreeServer extends TestServer {
  readonly sink: MemorySink;
  readonly errors: { error: unknown; context: ExpressErrorContext }[];
}

type Options = Omit<ExperimentMiddlewareOptions, 'client' | 'experiments' | 'sink'> & {
  readonly sink?: ExperimentMiddlewareOptions['sink'];
};

/**
 * A small app like the runbook's, on a real server:
 * - `GET /api/v1/skills/tree` reads `skill_tree_layout` and answers `{ layout }`
 * - `GET /untouched` names the experiment but never reads it
 * - `GET /peek` peeks and answers `{ layout, unit }`
 * The signed-in user comes from `X-User-Id`, read as UTF-8 (as the README shows).
 */
export async function serveSkillTree(
  createApp: () => AnyExpressApp,
  experiment: ReturnType<typeof skillTreeAt>,
  options: Options = {},
  configure?: (app: AnyExpressApp) => void,
): Promise<SkillTreeServer> {
  const memory = createMemorySink();
  const errors: SkillTreeServer['errors'] = [];
  const experiments = createExperimentMiddleware({
    user: (req) => headerText(req.get('x-user-id'), 'X-User-Id'),
    onError: (error, context) => errors.push({ error, context }),
    ...options,
    experiments: [experiment],
    sink: options.sink ?? memory,
  });
  const app = createApp();
  configure?.(app);
  app.get('/api/v1/skills/tree', experiments('skill_tree_layout'), (_req, res) => {
    res.json({ layout: res.locals.experiments.variant('skill_tree_layout') });
  });
  app.get('/untouched', experiments('skill_tree_layout'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/peek', experiments('skill_tree_layout'), (_req, res) => {
    const { variant } = res.locals.experiments.peek('skill_tree_layout');
    res.json({ layout: variant, unit: res.locals.experiments.unit() });
  });
  const server = await listen(app);
  return { ...server, sink: memory, errors };
}

/**
 * Servers for one Express version inside a describe block, every one closed after each test:
 * `serve` starts the skill-tree app, `listen` any other app.
 */
export function testServers(createApp: () => AnyExpressApp) {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const track = <S extends TestServer>(server: S): S => {
    servers.push(server);
    return server;
  };
  return {
    serve: async (...args: Parameters<typeof serveSkillTree> extends [unknown, ...infer Rest] ? Rest : never) =>
      track(await serveSkillTree(createApp, ...args)),
    listen: async (app: Parameters<typeof listen>[0]) => track(await listen(app)),
  };
}
