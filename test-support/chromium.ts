import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: Playwright's own browser download is not available on these machines. */
export const CHROMIUM = '/usr/bin/chromium';

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
 * Starts Debian's Chromium headless through playwright-core, or fails with what to install.
 * Shared by every browser test (core determinism, the React example, the Next.js example).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing; install Debian's Chromium with \`apt-get install -y chromium\` to run this test`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
