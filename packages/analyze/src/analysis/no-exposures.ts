import type { ExportAccumulator } from './accumulator.js';

const JSONL_EXPECTED = 'bucketry analyze reads JSON lines: one Segment, Amplitude or Bucketry event object per line (.jsonl, or .jsonl.gz)';

/**
 * Why an input held no exposure of the experiment, as far as the counts tell: an empty input, one
 * whose every line is something other than JSON (a CSV export, say), or else what it did hold
 * (other experiments, other config versions), so that a wrong file or a typo shows.
 */
export function noExposuresMessage(acc: ExportAccumulator): string {
  const { experiment, configVersion } = acc.options;
  const what = `no exposures of experiment "${experiment}"${configVersion ? ` with config version "${configVersion}"` : ''}`;
  const lines = acc.lines - acc.blankLines;
  if (lines === 0) return `${what}: the input is empty; ${JSONL_EXPECTED}`;
  const seen: string[] = [`${acc.lines} lines`, `${acc.badLineCount} bad`];
  if ((acc.badLinesByCategory.get('not JSON') ?? 0) === lines) return `${what} (${seen.join('; ')}): no line is a JSON object; ${JSONL_EXPECTED}, so convert a CSV export first`;
  if (acc.otherExperiments.size > 0) seen.push(`exposures of other experiments: ${[...acc.otherExperiments].join(', ')}`);
  if (acc.otherVersionExposures > 0) seen.push(`${acc.otherVersionExposures} exposures of other config versions (${[...acc.configVersions.keys()].join(', ')})`);
  return `${what} (${seen.join('; ')})`;
}
