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
  /** The path of the offending field, such as `weights[1]` or `eligibility.any[0].region.in`. */
  readonly field: string;
  /** The value that broke the rule. */
  readonly value: unknown;
  /** The rule, such as `must be >= 0`. */
  readonly rule: string;

  constructor(field: string, value: unknown, rule: string, context?: string) {
    super(`${context ? `${context}: ` : ''}${field} ${rule}, got ${describe(value)}`);
    this.name = 'ExperimentConfigError';
    this.field = field;
    this.value = value;
    this.rule = rule;
  }
}

/** A short, safe rendering of any value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value && typeof value === 'object') {
    try {
      const text = JSON.stringify(value);
      return text.length > 80 ? `${text.slice(0, 77)}...` : text;
    } catch {
      return 'an object';
    }
  }
  return String(value);
}
