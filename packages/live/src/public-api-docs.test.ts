import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itDocumentsEveryExport } from '../../../test-support/public-api-docs.js';
import * as api from './index.js';

// Every name index.ts exports must carry TSDoc with an @example where it is declared.
const here = fileURLToPath(new URL('.', import.meta.url));

describe('public API documentation', () => {
  it('exports the merge, the sources, the stores, setRollout, the sticky stores and the exposure sink', () => {
    expect(Object.keys(api).sort()).toEqual([
      'RolloutConflictError',
      'createFileStore',
      'createHttpSource',
      'createPostgresSink',
      'createPostgresStickyStore',
      'createPostgresStore',
      'createRedisStickyStore',
      'createRedisStore',
      'createStoreSource',
      'flushOnSignal',
      'lastKnownGoodFile',
      'mergeRollouts',
      'migrate',
      'openStore',
      'setRollout',
    ]);
  });

  itDocumentsEveryExport(here);
});

describe('the other entries', () => {
  it('@bucketry/live/cli exports the rollout command only; @bucketry/live/http the edge-safe source and the merge', async () => {
    expect(Object.keys(await import('./cli.js'))).toEqual(['runRolloutCommand']);
    expect(Object.keys(await import('./http.js')).sort()).toEqual(['createHttpSource', 'mergeRollouts']);
  });
});
