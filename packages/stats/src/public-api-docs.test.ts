import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itDocumentsEveryExport } from '../../../test-support/public-api-docs.js';

// Private, but @bucketry/analyze re-exports some of it (sampleSizePerVariant, the interval types),
// and those are documented here, where they are declared.
describe('the exports of @bucketry/stats', () => {
  itDocumentsEveryExport(fileURLToPath(new URL('.', import.meta.url)));
});
