import type { Experiment } from '@bucketry/core';
import type { ExpressHandler } from '../express-types.js';
import { invalidOption } from '../package-name.js';
import { sendJson } from './send-json.js';

/**
 * What the rollout status route answers.
 *
 * @example
 * ```ts
 * const status: RolloutStatus = await (await fetch('http://127.0.0.1:3000/api/feature-flags/skill_tree_layout')).json();
 * if (!status.enabled) console.log('kill switch is on');
 * ```
 */
export interface RolloutStatus {
  /** Whether anyone gets a treatment: `false` when the kill switch is on (`enabled: false` or rollout 0). */
  readonly enabled: boolean;
  /** Percent of units in the experiment that get a treatment; 0 whenever `enabled` is `false`. */
  readonly percentage: number;
}

/**
 * The rollout status of an experiment, as the runbook reads it.
 *
 * @example
 * ```ts
 * rolloutStatus(defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 5 }));
 * // { enabled: true, percentage: 5 }
 * ```
 */
export function rolloutStatus(experiment: Experiment): RolloutStatus {
  const { live } = experiment;
  // Key order is part of the answer: runbooks compare the body as text.
  return { enabled: live, percentage: live ? experiment.rollout : 0 };
}

/**
 * A route answering `{"enabled":true,"percentage":5}` for an experiment: the runbook's
 * "what is the rollout right now" check. Pass a function to report a configuration that changes.
 *
 * @example
 * ```ts
 * app.get('/api/feature-flags/skill_tree_layout', rolloutStatusRoute(experiments.client.experiment('skill_tree_layout')));
 * // curl -s http://127.0.0.1:3000/api/feature-flags/skill_tree_layout  →  {"enabled":true,"percentage":10}
 * ```
 */
export function rolloutStatusRoute(experiment: Experiment | (() => Experiment)): ExpressHandler {
  const current =
    typeof experiment === 'function'
      ? experiment
      : experiment !== null && typeof experiment === 'object' && typeof experiment.key === 'string'
        ? () => experiment
        : invalidOption('experiment', experiment, 'must be an experiment (from defineExperiment or client.experiment(key)) or a function returning one');
  return function rolloutStatusHandler(_req, res): void {
    let status: RolloutStatus;
    try {
      status = rolloutStatus(current());
    } catch {
      sendJson(res, 503, { error: 'rollout status unavailable' });
      return;
    }
    sendJson(res, 200, status);
  };
}
