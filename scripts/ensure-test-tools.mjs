// Runs before `pnpm test`: the browser tests drive Debian's Chromium at /usr/bin/chromium, and the
// docs tests run the guides' curl commands. On a fresh Debian machine, as root, install whatever
// of the two is missing, in one apt-get run; otherwise say exactly what to do. `.ci/run` relies on it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const CHROMIUM = '/usr/bin/chromium';
const onPath = (command) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));

const missing = [...(existsSync(CHROMIUM) ? [] : ['chromium']), ...(onPath('curl') ? [] : ['curl'])];
if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    console.error(
      `The tests need Chromium at ${CHROMIUM} (browser tests) and curl (the guides' commands); missing: ${missing.join(', ')}. ` +
        `Install it (Debian: sudo apt-get install -y ${missing.join(' ')}) and run pnpm test again.`,
    );
    process.exit(1);
  }
  console.log(`Installing Debian's ${missing.join(' and ')} for the tests (once)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}
