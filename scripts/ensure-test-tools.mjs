// Runs before `pnpm test`: the browser tests drive Chromium (scripts/chromium-path.mjs finds
// Debian's or a system Chrome), and the docs tests run the guides' curl commands. On a Debian
// machine as root, install whatever is missing in one apt-get run (`.ci/run` relies on it).
// Elsewhere without a browser (a Mac without Chrome, a non-root shell), the browser tests are
// left out with a message (vitest.workspace.ts), except in CI, where they must run.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { installDebianPackages } from './apt-install.mjs';
import { chromiumPath, DEBIAN_CHROMIUM } from './chromium-path.mjs';

const onPath = (command) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
const canApt = typeof process.getuid === 'function' && process.getuid() === 0 && existsSync('/usr/bin/apt-get');
const inCi = Boolean(process.env.CI);

const needChromium = chromiumPath() === undefined && (canApt || inCi);
const missing = [...(needChromium ? ['chromium'] : []), ...(onPath('curl') ? [] : ['curl'])];
if (missing.length > 0) installDebianPackages(missing, `The tests need Chromium at ${DEBIAN_CHROMIUM} (browser tests) and curl (the guides' commands)`);
if (chromiumPath() === undefined) {
  console.warn('No Chrome or Chromium found (set CHROMIUM_PATH to one): the browser tests (*.browser.test.ts) are left out of this run.');
}
