import { watch as watchFs } from 'node:fs';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseRecord, parseSnapshot, type RolloutChange, type RolloutRecord } from './record.js';
import { replaceFile } from './replace-file.js';
import { changeOf, checkExpected, nextRecord, type RolloutStore } from './store.js';

/**
 * Options of {@link createFileStore}.
 *
 * @example
 * ```ts
 * const options: FileStoreOptions = { path: '/etc/bucketry/rollouts.json', lockTimeout: 5_000 };
 * ```
 */
export interface FileStoreOptions {
  /** The JSON file: `{ "rollouts": { "<key>": record }, "history": [change, …] }`. */
  readonly path: string;
  /** How long a writer waits for another writer's lock (`<path>.lock`) before giving up, in ms. Default 10,000. */
  readonly lockTimeout?: number;
}

interface FileContent {
  rollouts: Record<string, RolloutRecord>;
  history: RolloutChange[];
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * A rollout store in one JSON file, for sidecars, local work and tests. Reads parse and check
 * the whole file; writes take a lock file (`<path>.lock`, created exclusively), compare the
 * version, and replace the file by rename, so a reader never sees half a file. `watch` watches
 * the directory, so editors and tools that write by rename are seen too.
 *
 * @example
 * ```ts
 * import { createFileStore, setRollout } from '@bucketry/live';
 *
 * const store = createFileStore({ path: 'rollouts.json' });
 * await setRollout(store, 'skill_tree_layout', { percent: 10, actor: 'ana', phase: 'smoke' });
 * ```
 */
export function createFileStore(options: FileStoreOptions): RolloutStore {
  const path = resolve(options.path);
  const lockPath = `${path}.lock`;
  const lockTimeout = options.lockTimeout ?? 10_000;

  const readContent = async (missingIsEmpty: boolean): Promise<FileContent> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (missingIsEmpty && (error as NodeJS.ErrnoException).code === 'ENOENT') return { rollouts: {}, history: [] };
      throw error;
    }
    const { rollouts } = parseSnapshot(text);
    const history = (JSON.parse(text) as { history?: unknown }).history;
    return { rollouts: { ...rollouts }, history: Array.isArray(history) ? history : [] };
  };

  const withLock = async <T>(work: () => Promise<T>): Promise<T> => {
    const deadline = Date.now() + lockTimeout;
    for (;;) {
      try {
        const handle = await open(lockPath, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        // A lock left by a crashed writer: older than the timeout, it is taken over.
        const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
        if (age > lockTimeout) await unlink(lockPath).catch(() => {});
        else if (Date.now() > deadline) throw new Error(`${lockPath} is held by another writer for more than ${lockTimeout} ms; nothing was written`);
        else await pause(10 + Math.random() * 20);
      }
    }
    try {
      return await work();
    } finally {
      await unlink(lockPath).catch(() => {});
    }
  };

  return {
    kind: 'file',
    read: async () => ({ rollouts: (await readContent(false)).rollouts }),
    write: (experiment, change) =>
      withLock(async () => {
        const content = await readContent(true);
        const previous = content.rollouts[experiment] ?? null;
        checkExpected(experiment, change, previous);
        const record = nextRecord(change, previous);
        parseRecord(`rollouts.${experiment}`, record);
        content.rollouts[experiment] = record;
        content.history.push(changeOf(experiment, record, previous));
        await replaceFile(path, `${JSON.stringify(content, null, 2)}\n`);
        return { record, previous };
      }),
    history: async (experiment) => (await readContent(true)).history.filter((change) => change.experiment === experiment),
    watch(onChange, onError) {
      const name = basename(path);
      const watcher = watchFs(dirname(path), (_event, file) => {
        if (file === null || file === name) onChange();
      });
      watcher.on('error', onError);
      return async () => watcher.close();
    },
    close: async () => {},
  };
}
