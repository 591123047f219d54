import type { UnitTable } from './unit-table.js';

/** Per-variant counts over the distinct units, from one pass over the unit table. */
export interface UnitSummary {
  /** Units exposed to exactly this variant. */
  readonly units: number[];
  /** Units exposed to this variant and at least one other (excluded everywhere else). */
  readonly mixedByVariant: number[];
  readonly mixedUnits: number;
  /** Units with a tracked event but no counted exposure. */
  readonly unexposedUnits: number;
  /** conversions[metric][variant]: units with the metric's event at or after their first exposure. */
  readonly conversions: number[][];
  /** Earliest and latest first exposure of the units counted. */
  readonly firstExposureMin: number;
  readonly firstExposureMax: number;
}

/** Counts units, units in several variants and conversions per variant. */
export function summarizeUnits(table: UnitTable, variantCount: number): UnitSummary {
  const metricCount = table.metricCount;
  const units = new Array<number>(variantCount).fill(0);
  const mixedByVariant = new Array<number>(variantCount).fill(0);
  const conversions = Array.from({ length: metricCount }, () => new Array<number>(variantCount).fill(0));
  let mixedUnits = 0;
  let unexposedUnits = 0;
  let firstExposureMin = Infinity;
  let firstExposureMax = -Infinity;
  for (let row = 0; row < table.size; row++) {
    const variant = table.variantOf(row);
    if (variant === -1) {
      // A row may be there only for an exposure of another config version: not an unexposed unit with events.
      if (table.hasTrackedEvent(row)) unexposedUnits++;
      continue;
    }
    if (variant === -2) {
      mixedUnits++;
      const mask = table.masks[row]!;
      for (let v = 0; v < variantCount; v++) if (mask & (1 << v)) mixedByVariant[v]!++;
      continue;
    }
    units[variant]!++;
    const first = table.firstExposure[row]!;
    if (first < firstExposureMin) firstExposureMin = first;
    if (first > firstExposureMax) firstExposureMax = first;
    for (let m = 0; m < metricCount; m++) if (table.converted(row, m)) conversions[m]![variant]!++;
  }
  return { units, mixedByVariant, mixedUnits, unexposedUnits, conversions, firstExposureMin, firstExposureMax };
}
