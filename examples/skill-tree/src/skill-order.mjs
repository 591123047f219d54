// The example's second experiment, skill_order: the order of the skills list, two rankers
// interleaved (core's interleave, team-draft). GET /api/v1/skills/order shows a user the merged
// list and writes its exposure (items and teams) through the same sink as skill_tree_layout's;
// POST /api/v1/skills/order/clicks records which skill the user opened from it, as the track event
// item_clicked that `bucketry analyze --interleaving` reads.
import express from 'express';
import { interleave } from '@bucketry/core';
import { outcomeToSegment } from './segment.mjs';
import { SKILLS } from './skills.mjs';

const SKILL_ORDER = 'skill_order';
/** Everyone with a unit sees the rankers interleaved; control (`by_path`) is ranker A alone. */
export const skillOrderExperiment = { key: SKILL_ORDER, variants: ['by_path', 'interleaved'], rollout: 100 };
/** The click event, as the analysis reads it by default. */
const CLICK_EVENT = 'item_clicked';

/** Ranker A, the one in production: the learning path, prerequisites first. */
export const rankByPath = () => SKILLS.map((skill) => skill.id);

/** Learning sessions started per skill last month: what ranker B orders by. */
const STARTS = { basics: 120, variables: 95, functions: 140, loops: 80, recursion: 60, async: 150 };
/** Ranker B, the candidate: the most-started skills first. */
export const rankByPopularity = () => [...SKILLS].sort((x, y) => STARTS[y.id] - STARTS[x.id]).map((skill) => skill.id);

const QUERY = /^[A-Za-z0-9:_. -]{1,100}$/;
const NAMES = new Map(SKILLS.map((skill) => [skill.id, skill.name]));

/** Why a query is refused, or undefined when it is fine. */
function checkQuery(value) {
  if (typeof value === 'string' && QUERY.test(value)) return undefined;
  return `query must be 1 to 100 characters of letters, digits, space and :_.-, like home or search:loops, got ${JSON.stringify(value)?.slice(0, 80) ?? 'nothing'}`;
}

/** Why a clicked item is refused, or undefined when it is fine. */
function checkItem(value) {
  if (typeof value === 'string' && NAMES.has(value)) return undefined;
  return `item must be the id of a skill (${[...NAMES.keys()].join(', ')}), got ${JSON.stringify(value)?.slice(0, 80) ?? 'nothing'}`;
}

/**
 * The routes: `client` (createBucketry with {@link skillOrderExperiment}), `experiments` (the
 * Express middleware, for the request's unit) and `writeEvent(record)` (appends a Segment track
 * call; rejects, having counted and logged it, when it cannot).
 */
export function skillOrderRoutes({ client, experiments, writeEvent }) {
  const router = express.Router();
  const unitOf = (res) => {
    const unit = res.locals.experiments.unit();
    return unit.kind === 'none' ? null : unit.id;
  };

  router.get('/api/v1/skills/order', experiments(), (req, res) => {
    const query = req.query.query ?? 'home';
    const problem = checkQuery(query);
    if (problem) return void res.status(400).json({ error: problem });
    // Never throws: a unit it cannot use sees ranker A, and is not exposed.
    const list = interleave(client.experiment(SKILL_ORDER), unitOf(res), { query, a: rankByPath(), b: rankByPopularity(), length: SKILLS.length });
    client.expose(list);
    res.json({ query, skills: list.items.map((item) => ({ id: item.id, name: NAMES.get(item.id) })) });
  });

  router.post('/api/v1/skills/order/clicks', express.json({ limit: '1kb' }), experiments(), async (req, res) => {
    const problem = checkQuery(req.body?.query) ?? checkItem(req.body?.item);
    if (problem) return void res.status(400).json({ error: problem });
    const unit = res.locals.experiments.unit();
    if (unit.kind === 'none') return void res.status(400).json({ error: 'a click needs a user: send X-User-Id or the bucketry_uid cookie' });
    const record = outcomeToSegment(CLICK_EVENT, unit, { experiment: SKILL_ORDER, query: req.body.query, item: req.body.item });
    try {
      await writeEvent(record);
    } catch {
      return void res.status(503).json({ error: `could not record ${CLICK_EVENT}` });
    }
    res.status(201).json({ recorded: CLICK_EVENT });
  });
  return router;
}
