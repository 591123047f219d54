/**
 * The input cannot be read as an export: it is missing, not a file or pipe, or not UTF-8 text.
 * The message is one line naming the input and what to do; the analysis reports it as unusable
 * input (exit 2 in the CLI).
 *
 * @example
 * ```ts
 * try {
 *   await openExport('missing.jsonl');
 * } catch (error) {
 *   if (error instanceof InputError) console.error(error.message); // cannot read missing.jsonl: no such file
 * }
 * ```
 */
export class InputError extends Error {
  override name = 'InputError';
}
