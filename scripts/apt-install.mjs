// Installing what the tests need from Debian (scripts/ensure-test-tools.mjs, scripts/ensure-services.mjs):
// as root on a machine with apt-get, in one run; anywhere else, a message saying exactly what to
// install, and exit 1.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Installs Debian's `packages` (as root), or stops with `need` ("The tests need …") and the command to run. */
export function installDebianPackages(packages, need) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(`${need}; missing: ${packages.join(', ')}. Install it (Debian: sudo apt-get install -y ${packages.join(' ')}) and run pnpm test again.`);
    process.exit(1);
  }
  console.log(`Installing Debian's ${packages.join(' and ')} for the tests (once)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}
