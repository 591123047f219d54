import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDuration, parseFraction, parseNumber } from '../policy/quantities.js';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseFlags} returns for a set of flags. */
export type ParsedFlags<T extends Options> = ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: true }>>;

/** A negative number, which is a value and no flag: -0.03, -5, -.5, -1e-3. */
const NEGATIVE_NUMBER = /^-(?:\d|\.\d)/;

/**
 * `--flag -0.03` as `--flag=-0.03` for flags that take a value: parseArgs reads anything after a
 * flag that starts with "-" as another flag, so `--mde -0.03` failed with "--mde takes no value".
 */
function negativeValuesJoined(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = /^--([^=]+)$/.exec(arg)?.[1];
    const next = args[i + 1];
    if (name !== undefined && Object.hasOwn(options, name) && options[name]!.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/**
 * node:util parseArgs with strict checking, its errors rewritten to name the command and the flag.
 */
export function parseFlags<T extends Options>(command: string, args: readonly string[], options: T, positionals = 0): ParsedFlags<T> {
  try {
    const parsed = parseArgs({ args: negativeValuesJoined(args, options), options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}" for bucketry ${command} (see bucketry ${command} --help)`);
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = (error as Error).message;
    const code = (error as { code?: string }).code;
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown flag ${flag} for bucketry ${command} (see bucketry ${command} --help)`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      // "ambiguous": the next argument starts with "-" (another flag, or a value given as --flag=-x).
      if (/argument missing/.test(message)) throw new UsageError(`${flag} needs a value (see bucketry ${command} --help)`);
      if (/ambiguous/.test(message)) throw new UsageError(`${flag} needs a value, and the next argument is a flag (a value starting with "-" is written ${flag}=-…; see bucketry ${command} --help)`);
      throw new UsageError(`${flag} takes no value (see bucketry ${command} --help)`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(`bucketry ${command} takes no arguments besides flags: ${/'([^']+)'/.exec(message)?.[1] ?? message} (see bucketry ${command} --help)`);
    }
    throw new UsageError(message);
  }
}

/** The flag's value, or a usage error saying it is required. */
export function required(flag: string, value: string | undefined, hint: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${flag}: ${hint}`);
  return value;
}

interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  /** min and max excluded. */
  readonly exclusive?: boolean;
  readonly integer?: boolean;
  /** Read "5%" as 0.05. */
  readonly percent?: boolean;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const { min, max, exclusive } = rule;
  if (min !== undefined && max !== undefined) return `must be ${kind} ${exclusive ? 'between' : 'from'} ${min} ${exclusive ? 'and' : 'to'} ${max}${exclusive ? ' (exclusive)' : ''}`;
  if (min !== undefined) return `must be ${kind} ${exclusive ? '>' : '>='} ${min}`;
  if (max !== undefined) return `must be ${kind} ${exclusive ? '<' : '<='} ${max}`;
  return `must be ${kind}`;
}

/**
 * A numeric flag value checked against its rule. The error names the flag, the value and the rule:
 * `--alpha "2": must be a number between 0 and 1 (exclusive)`.
 */
export function numberFlag(flag: string, text: string, rule: NumberRule = {}): number {
  const value = rule.percent ? parseFraction(text) : parseNumber(text);
  const { min, max, exclusive, integer } = rule;
  const ok =
    value !== undefined &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || (exclusive ? value > min : value >= min)) &&
    (max === undefined || (exclusive ? value < max : value <= max));
  if (!ok) throw new UsageError(`--${flag} "${text}": ${describeRule(rule)}${rule.percent ? ' (a fraction like 0.05 or a percentage like 5%)' : ''}`);
  return value;
}

/** A comma-separated list of numbers, e.g. --weights 90,10. */
export function numberListFlag(flag: string, text: string, count: number | undefined, what: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  if (parts.some((p) => p === '') || values.some((v) => !Number.isFinite(v) || v < 0) || !values.some((v) => v > 0) || (count !== undefined && values.length !== count)) {
    throw new UsageError(`--${flag} "${text}": must be comma-separated numbers >= 0, not all 0${count === undefined ? '' : `, ${count} of them (${what})`}`);
  }
  return values;
}

/** A duration flag such as --interval 10m. */
export function durationFlag(flag: string, text: string, minimumMs: number): number {
  const value = parseDuration(text);
  if (value === undefined || value < minimumMs) {
    throw new UsageError(`--${flag} "${text}": must be a duration like 30s, 10m, 1h or 1d, at least ${minimumMs / 1000}s`);
  }
  return value;
}

/** The JSON in the file a flag names (relative to `cwd`); a file that is missing, unreadable or not JSON is a usage error naming the flag and the file. */
export function jsonFileFlag(flag: string, file: string, cwd: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${(error as Error).message})`}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${flag} ${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** One of a fixed set of words. */
export function choiceFlag<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`--${flag} "${text}": must be ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`);
  return text as T;
}
