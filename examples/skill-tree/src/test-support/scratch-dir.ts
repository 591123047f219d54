import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * A temporary directory for the calling test file, made before its tests and removed after them
 * with whatever they wrote there. Returns the path of a file in it, by name.
 */
export function useScratchDir(prefix: string): (name: string) => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  return (name) => {
    if (dir === undefined) throw new Error(`useScratchDir: asked for ${name} before the tests started; ask inside a test or hook`);
    return join(dir, name);
  };
}
