import { fileURLToPath } from 'node:url';
import { readReference } from '../../../../test-support/reference-values.js';
import { analyzeFile } from './analyze.js';
import type { AnalyzeOptions } from './options.js';

/** The export written by fixtures/make_segment_cuped_reference.py, and what NumPy/SciPy computed on it. */
export const SEGMENT_CUPED_EXPORT = fileURLToPath(new URL('../../fixtures/segment-cuped-export.jsonl.gz', import.meta.url));
export const segmentCupedReference = readReference(new URL('../../fixtures/segment_cuped_reference.json', import.meta.url));

/** The options the reference was computed for. */
export const SEGMENT_CUPED_OPTIONS: AnalyzeOptions = {
  experiment: 'checkout_v2',
  variants: ['control', 'treatment'],
  metrics: ['order_placed'],
  values: [{ event: 'order_placed', property: 'amount' }],
  segments: ['role', 'region'],
  cupedWindowMs: 14 * 86_400_000,
};

/** The fixture analysed (threads 0 unless given). */
export const analyseFixture = (options: Partial<AnalyzeOptions> = {}) => analyzeFile(SEGMENT_CUPED_EXPORT, { ...SEGMENT_CUPED_OPTIONS, threads: 0, ...options });
