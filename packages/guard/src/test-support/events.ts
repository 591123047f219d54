import { seeded } from '../simulate.js';

/** Export lines (Segment flavor) of `units` units from `first`, a `treatmentShare` of them in the treatment, each erring with its arm's rate. */
export function exportLines(options: {
  readonly experiment?: string;
  readonly first?: number;
  readonly units: number;
  readonly treatmentShare: number;
  readonly errorRates: readonly [number, number];
  readonly seed?: number;
  readonly at?: string;
}): string {
  const random = seeded(options.seed ?? 1);
  const timestamp = options.at ?? '2026-12-01T00:00:00.000Z';
  const out: string[] = [];
  for (let i = options.first ?? 0; i < (options.first ?? 0) + options.units; i++) {
    const arm = random() < options.treatmentShare ? 1 : 0;
    out.push(JSON.stringify({ event: 'experiment_exposure', userId: `u${i}`, timestamp, properties: { experiment: options.experiment ?? 'checkout_v2', variant: arm ? 'new' : 'old' } }));
    if (random() < options.errorRates[arm]!) out.push(JSON.stringify({ event: 'checkout_error', userId: `u${i}`, timestamp, properties: { code: 500 } }));
  }
  return out.join('\n') + '\n';
}
