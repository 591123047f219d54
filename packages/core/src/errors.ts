/**
 * Thrown by {@link defineExperiment} and the other `define*` functions when a configuration is
 * invalid. The message names the field, the value and the rule, for example
 * `weights[1] must be >= 0, got -5`; the same parts are on the error as properties.
 *
 * @example
 * ```ts
 * try {
 *   defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], weights: [1, -5] });
 * } catch (error) {
 *   if (error instanceof ExperimentConfigError) console.error(error.field, error.rule);
 * }
 * ```
 */
export class ExperimentConfigError extends Error {
  // `declare`: set in the constructor only. Plain field declarations would be emitted as class
  // fields too, bytes in every bundle for no change in behaviour.
  /** The path of the offending field, such as `weights[1]` or `eligibility.any[0].region.in`. */
  declare readonly field: string;
  /** The value that broke the rule. */
  declare readonly value: unknown;
  /** The rule, such as `must be >= 0`. */
  declare readonly rule: string;

  constructor(field: string, value: unknown, rule: string, context?: string) {
    super(`${context ? `${context}: ` : ''}${field} ${rule}, got ${describe(value)}`);
    // In the order the class fields used to define them, then the name.
    this.field = field;
    this.value = value;
    this.rule = rule;
    this.name = 'ExperimentConfigError';
  }
}

/** A short, safe rendering of any value for an error message: JSON where it has one. */
export function describe(value: unknown): string {
  let text: string | undefined;
  try {
    text = typeof value === 'number' ? undefined : JSON.stringify(value);
  } catch {
    // Cycles and bigints have no JSON; String() still says something useful.
  }
  text ??= typeof value === 'function' ? 'a function' : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
