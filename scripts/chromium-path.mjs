// Where a Chrome or Chromium for the browser tests is: CHROMIUM_PATH if set, else Debian's
// Chromium (what CI installs), else the usual places on Linux and macOS. Shared by the pretest
// (scripts/ensure-test-tools.mjs), vitest.workspace.ts and test-support/chromium.ts.
import { existsSync } from 'node:fs';

/** Debian's Chromium, which the pretest installs on a Debian machine as root. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

const CANDIDATES = [
  DEBIAN_CHROMIUM,
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** The browser's executable, or `undefined` when there is none. */
export function chromiumPath(env = process.env) {
  const given = env.CHROMIUM_PATH;
  if (given !== undefined && given !== '') return existsSync(given) ? given : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}
