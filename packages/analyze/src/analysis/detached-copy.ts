/**
 * A copy of `text` that keeps no larger string alive: a slice points into the string it came from
 * (a block of lines decoded at once), so a name or value kept for the whole run would hold that
 * whole block in memory.
 *
 * @example
 * ```ts
 * names.push(detachedCopy(text.slice(start, end)));
 * ```
 */
// Concatenating makes V8 build a new flat string; slicing that drops the added character.
export const detachedCopy = (text: string): string => (' ' + text).slice(1);
