// @vitest-environment node
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureBundle } from '../../../test-support/bundle-size.js';
import * as api from './index.js';

// Issue #4: at most 1.5 KB gzip beyond React and core, which the app has anyway. What the package
// takes from @bucketry/http (the header and cookie names) is counted: a React app may not have it.
const BUDGET = 1536;

const here = fileURLToPath(new URL('.', import.meta.url));
const indexPath = fileURLToPath(new URL('./index.ts', import.meta.url));

describe('bundle size', () => {
  it(`the whole package adds at most ${BUDGET} B gzipped to an app that has React and core`, async () => {
    const measured = await measureBundle(`export * from ${JSON.stringify(indexPath)};`, {
      resolveDir: here,
      external: ['react', 'react-dom', '@bucketry/core'],
    });
    // Guards against measuring an empty bundle or one that pulled React or core in.
    expect(measured.exports).toEqual(Object.keys(api).sort());
    expect(measured.breakdown).not.toMatch(/node_modules|packages\/core/);
    expect(
      measured.gzipped,
      `@bucketry/react: ${measured.gzipped} B gzipped (budget ${BUDGET} B), ${measured.minified} B minified; minified bytes by file: ${measured.breakdown}`,
    ).toBeLessThanOrEqual(BUDGET);
  });
});
