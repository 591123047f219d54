import { readFile } from 'node:fs/promises';

/**
 * The records of a JSONL file (the exposure log, an export), each line parsed. A torn line fails
 * the test here: a blank or cut line does not parse, and a file that does not end with a newline
 * is refused. `T` is the shape the test reads; nothing checks it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJsonLines<T = Record<string, any>>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${path}: the last line has no newline (torn): ${JSON.stringify(text.slice(text.lastIndexOf('\n') + 1)).slice(0, 200)}`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}
