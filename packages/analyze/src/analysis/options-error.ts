/**
 * Options that break a rule; the message names the option, the value and the rule.
 *
 * @example
 * ```ts
 * resolveOptions({ experiment: 'x', variants: ['a'] }); // throws: variants is ["a"], must list 2 to 32 variants, control first
 * ```
 */
export class AnalyzeOptionsError extends Error {
  override name = 'AnalyzeOptionsError';
}

/** Throws {@link AnalyzeOptionsError} naming the option, its value and the rule it breaks. */
export const failOption = (field: string, value: unknown, rule: string): never => {
  throw new AnalyzeOptionsError(`${field} is ${JSON.stringify(value)}, ${rule}`);
};
