// Numbers as people write them on a command line or in a policy: "5%", "0.05", "10m", "5s".

/**
 * A finite number from its text ("0.02", "-3", "1e3"); undefined for anything else, blank included
 * (which `Number` would read as 0).
 *
 * @example
 * ```ts
 * parseNumber('-0.35'); // -0.35
 * ```
 */
export function parseNumber(text: string): number | undefined {
  const value = text.trim() === '' ? NaN : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A fraction from "5%" (0.05) or "0.05"; undefined when it is neither.
 *
 * @example
 * ```ts
 * parseFraction('5%'); // 0.05
 * ```
 */
export function parseFraction(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const percent = trimmed.endsWith('%');
  const value = Number(percent ? trimmed.slice(0, -1) : trimmed);
  if (!Number.isFinite(value)) return undefined;
  return percent ? value / 100 : value;
}

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds from "250ms", "5s", "10m", "1h", "1d" or a bare number of milliseconds; undefined
 * when it is none of those.
 *
 * @example
 * ```ts
 * parseDuration('10m'); // 600000
 * ```
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * UNITS_MS[match[2] ?? 'ms']!;
}

/**
 * A duration as short text: 600000 → "10m", 5000 → "5s", 1500 → "1.5s", 250 → "250ms".
 *
 * @example
 * ```ts
 * formatDuration(3_600_000); // '1h'
 * ```
 */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && Number.isInteger((ms / size) * 10)) return `${+(ms / size).toFixed(1)}${unit}`;
  }
  return `${+ms.toFixed(1)}ms`;
}
