import { assignVariant, defineExperiment, EXPOSURE_EVENT } from '@bucketry/core';
import { EventHeap } from './event-heap.js';
import { exportLine, type SimulatedUnit } from './export-line.js';
import { Random } from '@bucketry/stats';

/**
 * What {@link simulateExport} takes. Only `users` and `rollout` are required.
 *
 * @example
 * ```ts
 * const options: SimulateOptions = { users: 20_000, rollout: 10, seed: 7, lift: 0.05 };
 * ```
 */
export interface SimulateOptions {
  readonly users: number;
  /** Percent of units that get the treatment (the second variant), 0–100. */
  readonly rollout: number;
  /** Default 1. */
  readonly seed?: number;
  /** Default `segment`. */
  readonly format?: 'segment' | 'amplitude';
  /** Default `skill_tree_layout`. */
  readonly experiment?: string;
  /** Control first. Default `['tree', 'list']`. */
  readonly variants?: readonly [string, string];
  /** ISO 8601 start of the first day. Default 2025-06-02T00:00:00.000Z. */
  readonly start?: string;
  /** Days over which users arrive. Default 2. */
  readonly days?: number;
  /** Control's chance per session of `session_started_from_tree`. Default 0.3. */
  readonly conversion?: number;
  /** Relative effect of the treatment on that chance, e.g. 0.05. Default 0. */
  readonly lift?: number;
  /** Chance per session of `skill_tree_error`. Default 0.01. */
  readonly errorRate?: number;
  /** Median `skill_tree_loaded` duration, ms. Default 800. */
  readonly latencyMs?: number;
  /** Lose every event of 20% of the treatment's users, as a redirect or a telemetry bug in one arm would: a sample ratio mismatch. */
  readonly srm?: boolean;
  /** Fraction of users whose later sessions show the other variant (an identity bug). Default 0. */
  readonly mixedUnits?: number;
  /** About this many malformed lines among the output. Default 0. */
  readonly badLines?: number;
  /** Unrelated events (page views) per session, on average. Default 2. */
  readonly noise?: number;
}

const DAY = 86_400_000;
/** Relative traffic over the day (UTC hour): quiet at night, busy in the evening. */
const hourlyTraffic = (hour: number): number => 0.08 + Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) ** 2;

const BAD_LINES = [
  (iso: string) => `{"type":"track","event":"experiment_exposure","userId":"u_trunc","timestamp":"${iso}","properties":{"experiment":"`,
  () => `{"type":"track","event":"session_started_from_tree","userId":"u_bad_time","timestamp":"yesterday","properties":{}}`,
  (iso: string, experiment: string) => `{"type":"track","event":"experiment_exposure","timestamp":"${iso}","properties":{"experiment":"${experiment}","variant":"list"}}`,
  (iso: string, experiment: string) => `{"type":"track","event":"experiment_exposure","userId":"u_grid","timestamp":"${iso}","properties":{"experiment":"${experiment}","variant":"grid"}}`,
  () => 'upstream connect error or disconnect/reset before headers',
];

/**
 * Lines of a realistic analytics export for an experiment, in time order: users arrive over the
 * days with a daily rhythm, come back for a few sessions, and in each are exposed (through
 * `@bucketry/core`'s assignVariant, so the split is the real one), load the skill tree (with a
 * duration), sometimes start a session from it, sometimes hit an error, and view other pages.
 * Deterministic for a seed.
 *
 * @example
 * ```ts
 * for (const line of simulateExport({ users: 1000, rollout: 10, seed: 42 })) process.stdout.write(line + '\n');
 * ```
 */
export function* simulateExport(options: SimulateOptions): Generator<string> {
  const {
    users,
    rollout,
    seed = 1,
    format = 'segment',
    experiment: key = 'skill_tree_layout',
    variants = ['tree', 'list'] as const,
    start = '2025-06-02T00:00:00.000Z',
    days = 2,
    conversion = 0.3,
    lift = 0,
    errorRate = 0.01,
    latencyMs = 800,
    srm = false,
    mixedUnits = 0,
    badLines = 0,
    noise = 2,
  } = options;
  const startMs = Date.parse(start);
  const experiment = defineExperiment({ key, variants: [...variants], rollout });
  const random = new Random(seed);

  // Arrival times with the daily rhythm (rejection sampling), sorted so users come in order.
  const arrivals = new Float64Array(users);
  for (let i = 0; i < users; i++) {
    let t: number;
    do t = startMs + random.next() * days * DAY;
    while (!random.chance(hourlyTraffic(new Date(t).getUTCHours()) / 1.08));
    arrivals[i] = t;
  }
  arrivals.sort();

  const heap = new EventHeap();
  let sequence = 0;
  const badLineChance = badLines / Math.max(users, 1);
  let badLineKind = 0;

  const line = (name: string, unit: SimulatedUnit, time: number, properties: Record<string, unknown>): string => exportLine(random, format, name, unit, time, properties);
  const emit = (time: number, text: string) => heap.push({ time: Math.round(time), sequence: sequence++, text });

  for (let i = 0; i < users; i++) {
    const arrival = arrivals[i]!;
    // Everything due before this user arrives is final: later users only add later events.
    while (heap.size > 0 && heap.peek()!.time < arrival) yield heap.pop()!.text;

    const anonymousId = `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`;
    const signedIn = random.chance(0.9);
    const unit = signedIn ? { userId: `u_${random.hex(12)}`, anonymousId } : { anonymousId };
    const unitId = unit.userId ?? anonymousId;
    const assignment = assignVariant(experiment, unitId);
    const treated = assignment.variant !== experiment.control;
    const lost = srm && treated && random.chance(0.2);
    const mixed = random.chance(mixedUnits);
    const sessions = 1 + Math.min(5, Math.floor(random.exponential(1)));
    const perSession = Math.min(1, conversion * (treated ? 1 + lift : 1));

    let time = arrival;
    for (let s = 0; s < sessions; s++) {
      if (s > 0) time += 600_000 + random.exponential(3 * 3_600_000);
      if (lost) continue;
      const variant = mixed && s > 0 ? variants[treated ? 0 : 1] : assignment.variant;
      const context = { experiment: key, variant };
      emit(time, line(EXPOSURE_EVENT, unit, time, { ...context, reason: assignment.reason, bucket: assignment.bucket, configVersion: experiment.version }));
      const loaded = time + 200 + random.exponential(800);
      const duration = Math.round(latencyMs * (treated ? 1.04 : 1) * Math.exp(0.6 * random.normal()));
      emit(loaded, line('skill_tree_loaded', unit, loaded, { ...context, duration_ms: duration }));
      if (random.chance(errorRate)) {
        const at = loaded + random.exponential(20_000);
        emit(at, line('skill_tree_error', unit, at, { ...context, code: random.chance(0.7) ? 'render_timeout' : 'api_500' }));
      }
      if (random.chance(perSession)) {
        const at = loaded + random.exponential(90_000);
        emit(at, line('session_started_from_tree', unit, at, { ...context, skill: `skill_${random.int(40)}` }));
      }
      const views = Math.floor(random.exponential(noise));
      for (let v = 0; v < views; v++) {
        const at = time + random.exponential(300_000);
        emit(at, line('page_viewed', unit, at, { path: ['/home', '/skills', '/profile', '/leaderboard', '/settings'][random.int(5)] }));
      }
    }
    if (random.chance(badLineChance)) {
      const make = BAD_LINES[badLineKind++ % BAD_LINES.length]!;
      emit(arrival + 1, make(new Date(arrival + 1).toISOString(), key));
    }
  }
  while (heap.size > 0) yield heap.pop()!.text;
}
