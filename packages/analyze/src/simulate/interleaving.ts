import { assignVariant, defineExperiment, EXPOSURE_EVENT, interleave } from '@bucketry/core';
import { Random } from '@bucketry/stats';
import { exportLine } from './export-line.js';

/**
 * What {@link simulateInterleavingExport} takes. Only `impressions` and `preference` are required.
 *
 * @example
 * ```ts
 * const options: InterleavingSimulateOptions = { impressions: 50_000, preference: 0.55, seed: 7 };
 * ```
 */
export interface InterleavingSimulateOptions {
  /** Lists shown in all (each unit sees one to eight, each for its own query). */
  readonly impressions: number;
  /** The chance that an impression with a winner is won by ranker B: the true preference share. */
  readonly preference: number;
  /** Default 1. */
  readonly seed?: number;
  /** Default `segment`. */
  readonly format?: 'segment' | 'amplitude';
  /** Default `skill_order`. */
  readonly experiment?: string;
  /** Default `team-draft`. */
  readonly method?: 'team-draft' | 'balanced';
  /** ISO 8601 start of the first day. Default 2025-06-02T00:00:00.000Z. */
  readonly start?: string;
  /** Days over which units arrive. Default 2. */
  readonly days?: number;
  /** The chance that an impression is clicked at all. Default 0.6. */
  readonly clickRate?: number;
  /** The chance that a clicked impression is a tie (one click for each team). Default 0.05. */
  readonly tieRate?: number;
}

const DAY = 86_400_000;
/** Items per query's rankings, and shown per list. */
const RANKED = 20;
const SHOWN = 10;
const MAX_QUERIES_PER_UNIT = 8;
const TOPICS = ['rust', 'python', 'sql', 'css', 'go', 'react', 'testing', 'git', 'linux', 'docker', 'k8s', 'security'];

/** A shuffled copy (Fisher–Yates with the seeded generator). */
function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Ranker B: ranker A's order with each item moved by a few places at random, so the two overlap as real rankers do. */
function perturbed(ranking: readonly string[], random: Random): string[] {
  return ranking
    .map((id, i) => ({ id, key: i + random.normal() * 4 }))
    .sort((x, y) => x.key - y.key)
    .map((entry) => entry.id);
}

/**
 * Lines of an interleaving experiment's export with a known preference, in time order: units
 * arrive over the days and see one to eight lists, each for its own query, merged from two
 * rankers by `@bucketry/core`'s interleave (an exposure recording the items and their teams, as
 * `bucketry.expose(list)` writes it). A share `clickRate` of the lists is clicked: a tie (one
 * `item_clicked` on an item of each team) with chance `tieRate`, else won by B with chance
 * `preference` (one or two clicks on that team's items). Deterministic for a seed.
 *
 * @example
 * ```ts
 * for (const line of simulateInterleavingExport({ impressions: 50_000, preference: 0.55 })) process.stdout.write(line + '\n');
 * ```
 */
export function* simulateInterleavingExport(options: InterleavingSimulateOptions): Generator<string> {
  const { impressions, preference, seed = 1, format = 'segment', experiment: key = 'skill_order', method = 'team-draft' } = options;
  const { start = '2025-06-02T00:00:00.000Z', days = 2, clickRate = 0.6, tieRate = 0.05 } = options;
  const startMs = Date.parse(start);
  const experiment = defineExperiment({ key, variants: ['ranker_a', 'interleaved'], rollout: 100 });
  const random = new Random(seed);
  const skills = Array.from({ length: RANKED * 3 }, (_, i) => `skill_${i + 1}`);
  const rankings = new Map(
    TOPICS.map((topic) => {
      const a = shuffled(skills, random).slice(0, RANKED);
      return [`skills:${topic}`, { a, b: perturbed(a, random) }] as const;
    }),
  );

  const lines: { time: number; text: string }[] = [];
  const line = (name: string, unit: string, time: number, properties: Record<string, unknown>) => {
    const at = Math.round(time);
    lines.push({ time: at, text: exportLine(random, format, name, { userId: unit }, at, properties) });
  };

  let shown = 0;
  while (shown < impressions) {
    const unit = `u_${random.hex(12)}`;
    const queries = shuffled([...rankings.keys()], random).slice(0, Math.min(MAX_QUERIES_PER_UNIT, 1 + Math.floor(random.exponential(1.5)), impressions - shown));
    const assignment = assignVariant(experiment, unit);
    let time = startMs + random.next() * days * DAY;
    for (const query of queries) {
      time += random.exponential(120_000);
      const { a, b } = rankings.get(query)!;
      const list = interleave(experiment, unit, { query, a, b, length: SHOWN, method });
      const interleaving = { query, method, items: list.items.map((item) => item.id), teams: list.items.map((item) => item.team) };
      line(EXPOSURE_EVENT, unit, time, { experiment: key, variant: assignment.variant, reason: assignment.reason, bucket: assignment.bucket, configVersion: experiment.version, interleaving });
      shown++;
      if (!random.chance(clickRate)) continue;
      const ofTeam = (team: 'A' | 'B') => list.items.filter((item) => item.team === team).map((item) => item.id);
      const click = (item: string) => line('item_clicked', unit, time + 1_000 + random.exponential(20_000), { experiment: key, query, item });
      if (random.chance(tieRate)) {
        click(ofTeam('A')[random.int(ofTeam('A').length)]!);
        click(ofTeam('B')[random.int(ofTeam('B').length)]!);
        continue;
      }
      const winner = ofTeam(random.chance(preference) ? 'B' : 'A');
      const clicks = random.chance(0.2) ? 2 : 1;
      for (const item of shuffled(winner, random).slice(0, clicks)) click(item);
    }
  }
  lines.sort((x, y) => x.time - y.time);
  for (const { text } of lines) yield text;
}
