import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itDocumentsEveryExport } from '../../../test-support/public-api-docs.js';
import * as api from './index.js';

// Every name index.ts exports must carry TSDoc with an @example where it is declared.
const here = fileURLToPath(new URL('.', import.meta.url));

describe('public API documentation', () => {
  it('exports the middleware and the route helpers', () => {
    expect(Object.keys(api).sort()).toEqual([
      'DEFAULT_ANONYMOUS_ID_COOKIE',
      'MAX_RECENT_CAPACITY',
      'MIN_TOKEN_LENGTH',
      'createExperimentMiddleware',
      'createRecentExposuresBuffer',
      'headerText',
      'healthRoute',
      'isAnonymousId',
      'recentExposuresRoute',
      'recordingSink',
      'rolloutStatus',
      'rolloutStatusRoute',
      'staffTokenMatches',
    ]);
  });

  itDocumentsEveryExport(here);
});
