import { rename, writeFile } from 'node:fs/promises';

/**
 * Writes `text` to `path` by way of a temporary file beside it and a rename, so a reader sees the
 * old file or the new one, never half of one. The temporary name is unique to the write.
 */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
