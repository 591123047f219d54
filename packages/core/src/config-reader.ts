import { ExperimentConfigError, errorText } from './errors.js';
import { MAX_DEPTH, MAX_TEXT, MAX_VALUES } from './limits.js';
import { check, fieldPath, isMap } from './validate.js';

// The rules of docs/spec.md §5.6, as error messages say them. Plain literals: a template with a
// value in it would be code run on import, which keeps it in every bundle (bundle-size.test.ts).
const TOO_MANY = 'must keep the configuration within 100000 values';
const TOO_LONG = 'must be at most 1024 characters long';

/**
 * Reads a configuration into a plain copy, once, before anything validates it: maps and arrays
 * are copied (maps onto null-prototype objects, so a `__proto__` key stays an own field), every
 * other value is kept as it is for the validators to judge. What cannot be a JSON configuration
 * is refused here with an {@link ExperimentConfigError} naming the path (docs/spec.md §5.6):
 * nesting past {@link MAX_DEPTH} levels or a cycle, more than {@link MAX_VALUES} values (an
 * array's length is checked before its items are read, so a sparse array of length 2^32 - 1
 * costs nothing), a string or a key longer than {@link MAX_TEXT}, and a getter or Proxy trap that
 * throws (the error's `value` is then what it threw). The validators then work on data that
 * cannot change or throw under them.
 *
 * @param path - the path of `value` in the configuration: `''` for the whole of it (named `config`), `eligibility` for a rule
 * @param depth - the level of `value`: 1 for a configuration, 2 for a field
 * @internal
 */
export function readConfig(value: unknown, path: string, depth: number): unknown {
  let left = MAX_VALUES;
  const inside = new Set<object>();

  /** Reads `get()`, the value at `path`, at level `depth`. */
  const read = (get: () => unknown, path: string, depth: number): unknown => {
    const field = path || 'config';
    let value: unknown;
    let names: string[] | undefined;
    let length = -1; // stays -1 for a leaf: anything but an array or a map
    try {
      value = get();
      if (Array.isArray(value)) length = value.length;
      else if (isMap(value)) length = (names = Object.keys(value)).length;
    } catch (error) {
      throw new ExperimentConfigError(field, error, `could not be read: a getter or Proxy trap threw ${errorText(error)}`);
    }
    if (value === undefined) return value; // absent: not a JSON value, not counted
    check(left-- > 0, field, value, TOO_MANY);
    check(depth <= MAX_DEPTH, field, value, `must be nested at most ${MAX_DEPTH} levels deep`);
    if (length < 0) {
      check(typeof value !== 'string' || value.length <= MAX_TEXT, field, value, TOO_LONG);
      return value;
    }
    const container = value as Record<string | number, unknown>;
    check(!inside.has(container), field, container, 'must not be an object that contains it (a cycle)');
    check(length <= left, field, container, `${TOO_MANY} (it holds ${length})`);
    inside.add(container);
    let copy: unknown[] | Record<string, unknown>;
    if (names === undefined) {
      copy = [];
      for (let i = 0; i < length; i++) copy.push(read(() => container[i], `${path}[${i}]`, depth + 1));
    } else {
      copy = Object.create(null) as Record<string, unknown>;
      for (const name of names) {
        check(name.length <= MAX_TEXT, field, name, `must have keys of at most ${MAX_TEXT} characters`);
        copy[name] = read(() => container[name], fieldPath(path, name), depth + 1);
      }
    }
    inside.delete(container);
    return copy;
  };
  return read(() => value, path, depth);
}
