// @vitest-environment node
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itDocumentsEveryExport } from '../../../test-support/public-api-docs.js';
import * as api from './index.js';

// Every name index.ts exports must carry TSDoc with an @example where it is declared.
const here = fileURLToPath(new URL('.', import.meta.url));

describe('public API documentation', () => {
  it('exports the provider, the hook and the two readers of server-sent variants (the rest are types)', () => {
    expect(Object.keys(api).sort()).toEqual(['ExperimentProvider', 'assignmentsFromCookies', 'assignmentsFromHeaders', 'useExperiment']);
  });

  itDocumentsEveryExport(here);
});
