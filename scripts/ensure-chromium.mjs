// Runs before `pnpm test`: the browser tests need Debian's Chromium at /usr/bin/chromium.
// On a fresh Debian machine, as root, install it; otherwise say exactly what to do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    console.error(`The browser tests need Chromium at ${CHROMIUM}. Install it (Debian: sudo apt-get install -y chromium) and run pnpm test again.`);
    process.exit(1);
  }
  console.log(`Installing Debian's chromium for the browser tests (once)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
}
