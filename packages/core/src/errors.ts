/**
 * Thrown when a configuration or an option is invalid: by {@link defineExperiment} and the other
 * `define*` functions, `createBucketry`, `createBatchingSink` and `withDedupe`, and, as its
 * subclass `OptionError`, by the framework adapters. The message names the field, the value and
 * the rule, for example `weights[1] must be >= 0, got -5`, after where it was found when that
 * helps (`environment: `, `createBatchingSink: `, `@bucketry/express: `); the same parts are on
 * the error as properties. A `TypeError`, as Node's own errors for an invalid argument value are.
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
export class ExperimentConfigError extends TypeError {
  // `declare`: set in the constructor only. Plain field declarations would be emitted as class
  // fields too, bytes in every bundle for no change in behaviour.
  /** The path of the offending field, such as `weights[1]` or `eligibility.any[0].region.in`. */
  declare readonly field: string;
  /** The value that broke the rule. */
  declare readonly value: unknown;
  /** The rule, such as `must be >= 0`. */
  declare readonly rule: string;

  /** `context` starts the message: where the value was found, such as a package name. */
  constructor(field: string, value: unknown, rule: string, context?: string) {
    super(`${context ? `${context}: ` : ''}${field} ${rule}, got ${describeValue(value)}`);
    // In the order the class fields used to define them, then the name.
    this.field = field;
    this.value = value;
    this.rule = rule;
    this.name = 'ExperimentConfigError';
  }
}

/** Throws the {@link ExperimentConfigError} naming the field, the value and the rule unless `ok`. */
export function check(ok: unknown, field: string, value: unknown, rule: string, context?: string): void {
  if (!ok) throw new ExperimentConfigError(field, value, rule, context);
}

/**
 * How every Bucketry error message shows the value that broke a rule: strings quoted, numbers,
 * booleans, `null` and `undefined` as written, an array of those item by item, and at most 80
 * characters. Objects and functions are named, never printed: a value may be a request, a session
 * or a map of secret headers, and messages end up in logs.
 *
 * @example
 * ```ts
 * describeValue('lax');                       // '"lax"'
 * describeValue([1, -5]);                     // '[1,-5]'
 * describeValue({ authorization: 'Bearer …' }); // 'an object'
 * describeValue(() => {});                    // 'a function'
 * ```
 */
export function describeValue(value: unknown): string {
  try {
    return cut(Array.isArray(value) ? `[${value.slice(0, 41).map(named)}]` : named(value));
  } catch {
    // A revoked Proxy, or an array whose items a getter or Proxy trap guards: an error message must still be made.
    return 'a value that cannot be read';
  }
}

/** Any value, with an array named rather than listed (so an array inside an array is never read). */
const named = (value: unknown): string =>
  typeof value === 'string'
    ? JSON.stringify(value)
    : typeof value === 'function'
      ? 'a function'
      : value !== null && typeof value === 'object'
        ? Array.isArray(value)
          ? `an array of ${value.length}`
          : 'an object'
        : typeof value === 'bigint'
          ? `${value}n`
          : String(value);

/**
 * What was thrown, as at most 80 characters of text (`Error: boom`), for a message that says why
 * a value could not be read; reading the thrown value may throw too (a Proxy, a getter).
 * @internal
 */
export function errorText(error: unknown): string {
  try {
    return cut(String(error));
  } catch {
    return 'a value that cannot be read';
  }
}

// 41 items make more than 80 characters: the items a long array joins are cut off anyway.
const cut = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}...` : text);
