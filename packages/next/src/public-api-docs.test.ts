import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itDocumentsEveryExport } from '../../../test-support/public-api-docs.js';
import * as api from './index.js';

// Every name index.ts exports must carry TSDoc with an @example where it is declared.
const here = fileURLToPath(new URL('.', import.meta.url));

describe('public API documentation', () => {
  it('exports the proxy factory, the header name and the shared helpers', () => {
    expect(Object.keys(api).sort()).toEqual(['ASSIGNMENTS_HEADER', 'DEFAULT_ANONYMOUS_ID_COOKIE', 'createFetchSink', 'createNextExperiments', 'headerText', 'isAnonymousId', 'staffTokenMatches']);
  });

  itDocumentsEveryExport(here);
});
