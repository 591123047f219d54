// Runs before `pnpm test`: the browser tests drive Debian's Chromium at /usr/bin/chromium, and the
// docs tests run the guides' curl commands. On a fresh Debian machine, as root, install whatever
// of the two is missing, in one apt-get run; otherwise say exactly what to do. `.ci/run` relies on it.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { installDebianPackages } from './apt-install.mjs';

const CHROMIUM = '/usr/bin/chromium';
const onPath = (command) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));

const missing = [...(existsSync(CHROMIUM) ? [] : ['chromium']), ...(onPath('curl') ? [] : ['curl'])];
if (missing.length > 0) installDebianPackages(missing, `The tests need Chromium at ${CHROMIUM} (browser tests) and curl (the guides' commands)`);
