import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itDocumentsEveryExport } from '../../../test-support/public-api-docs.js';

describe('the public API of @bucketry/analyze', () => {
  itDocumentsEveryExport(fileURLToPath(new URL('.', import.meta.url)));
});
