// The sample ratio check in words, for the text and HTML reports and the checks' messages.
import type { SampleRatioCheck } from '../analysis/srm.js';
import { decimal, pValue } from './numbers.js';

const NOT_APPLICABLE: Record<NonNullable<SampleRatioCheck['notApplicable']>, string> = {
  'single-variant': 'one variant has all the weight, so there is no split to check',
  'no-units': 'no units to count',
};

/** The chi-square test's statistics as reports print them: `χ² = 0.517, df = 1, p = 0.4719`, or why there are none. */
export const chiSquareText = (srm: SampleRatioCheck): string =>
  srm.notApplicable !== null ? `not applicable (${NOT_APPLICABLE[srm.notApplicable]})` : `χ² = ${decimal(srm.chiSquare!, 3)}, df = ${srm.df}, p = ${pValue(srm.pValue!)}`;

/**
 * The tests' statistics as the SRM check's message and the text report print them: the chi-square's,
 * after the sequential p-value when that decides.
 */
export function sampleRatioTestsText(srm: SampleRatioCheck): string {
  const chiSquare = chiSquareText(srm);
  return srm.test === 'sequential' && srm.sequential !== null ? `sequential p = ${pValue(srm.sequential.pValue)} (anytime-valid), ${chiSquare}` : chiSquare;
}
