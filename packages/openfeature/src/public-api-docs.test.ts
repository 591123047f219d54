import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itDocumentsEveryExport } from '../../../test-support/public-api-docs.js';
import * as api from './index.js';

// Every name index.ts exports must carry TSDoc with an @example where it is declared.
const here = fileURLToPath(new URL('.', import.meta.url));

describe('public API documentation', () => {
  it('@bucketry/openfeature exports the server provider', () => {
    expect(Object.keys(api)).toEqual(['BucketryProvider']);
  });

  itDocumentsEveryExport(here);
});

describe('the web entry', () => {
  it('@bucketry/openfeature/web exports the web provider only, documented with an example, and the same option types', async () => {
    expect(Object.keys(await import('./web.js'))).toEqual(['BucketryWebProvider']);
    expect(readFileSync(new URL('./web-provider.ts', import.meta.url), 'utf8')).toMatch(/\/\*\*(?:(?!\*\/)[\s\S])*@example(?:(?!\*\/)[\s\S])*\*\/\s*export class BucketryWebProvider\b/);
    const typesOf = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8').match(/export type \{[^}]*\} from '\.\/options\.js'/)?.[0];
    expect(typesOf('./web.ts')).toBe(typesOf('./index.ts'));
  });
});
