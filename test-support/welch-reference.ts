/** Welch's t-test as a SciPy fixture writes it: the difference with its standard error and interval, t, df and the two-sided p. */
export interface WelchReference {
  readonly estimate: number;
  readonly standardError: number;
  readonly low: number;
  readonly high: number;
  readonly t: number;
  readonly df: number;
  readonly pValue: number;
}

/** A Welch test as the code gives it: @bucketry/stats's WelchTest, or a comparison in a report (each part possibly null). */
export interface WelchResult {
  readonly difference: { readonly estimate: number; readonly standardError: number; readonly low: number; readonly high: number } | null | undefined;
  readonly t: number | null | undefined;
  readonly df: number | null | undefined;
  readonly pValue: number | null | undefined;
}

/** The test's numbers that are missing or not `close` to the fixture's, each named with both values: [] when all match. */
export function welchMismatches(test: WelchResult, want: WelchReference, close: (actual: number, expected: number) => boolean): string[] {
  const d = test.difference;
  const got = { estimate: d?.estimate, standardError: d?.standardError, low: d?.low, high: d?.high, t: test.t, df: test.df, pValue: test.pValue };
  return (Object.keys(got) as (keyof typeof got)[]).flatMap((name) => {
    const actual = got[name];
    return typeof actual === 'number' && close(actual, want[name]) ? [] : [`${name}: ${actual} vs ${want[name]}`];
  });
}
