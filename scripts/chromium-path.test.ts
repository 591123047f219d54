import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromiumPath, DEBIAN_CHROMIUM } from './chromium-path.mjs';

// Which browser the browser tests get, and when they are left out (vitest.workspace.ts).
describe('the browser for the browser tests', () => {
  it('is CHROMIUM_PATH when that exists, and none when it does not: a wrong path is not replaced by a guess', () => {
    expect(chromiumPath({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
    expect(chromiumPath({ CHROMIUM_PATH: '/no/such/chrome' })).toBeUndefined();
  });

  it("is else the first of the usual places that exists, Debian's Chromium first", () => {
    const found = chromiumPath({});
    expect(chromiumPath({ CHROMIUM_PATH: '' })).toBe(found);
    // This machine has Debian's Chromium (the pretest installs it), so it is the one found.
    if (existsSync(DEBIAN_CHROMIUM)) expect(found).toBe(DEBIAN_CHROMIUM);
    else if (found !== undefined) expect(existsSync(found)).toBe(true);
  });
});
