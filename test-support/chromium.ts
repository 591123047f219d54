import { chromium, type Browser } from 'playwright-core';
import { chromiumPath, DEBIAN_CHROMIUM } from '../scripts/chromium-path.mjs';

// Headless as root, and no background connections: this machine's closed network refuses them,
// many at a time, which slows every start.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium headless through playwright-core (Debian's, or a system Chrome: see
 * scripts/chromium-path.mjs; Playwright's own browser download is not used), or fails with
 * what to install. Shared by every browser test (`*.browser.test.ts`).
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) {
    throw new Error(`no Chromium found; install Debian's Chromium (\`apt-get install -y chromium\`, at ${DEBIAN_CHROMIUM}) or set CHROMIUM_PATH to a Chrome or Chromium executable`);
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
