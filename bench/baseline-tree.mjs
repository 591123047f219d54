// What the compare-* benches share: the code of an earlier revision loaded beside this tree's, in
// one process, and the best of several rounds of the timing harness.
import { execFileSync } from 'node:child_process';
import { measure } from './harness.mjs';

/**
 * Checks `revision` out into a detached git worktree at `dir`, calls `load(dir)` (which bundles
 * what it needs from there) and removes the worktree again; resolves with the short revision and
 * what `load` resolved with.
 */
export async function loadAtRevision(root, revision, dir, load) {
  execFileSync('git', ['-C', root, 'worktree', 'add', '--detach', dir, revision], { stdio: 'ignore' });
  try {
    const short = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    return { revision: short, loaded: await load(dir) };
  } finally {
    execFileSync('git', ['-C', root, 'worktree', 'remove', '--force', dir]);
    execFileSync('git', ['-C', root, 'worktree', 'prune']);
  }
}

/** Each case's best ops/s over `rounds` rounds of measure(cases), by case name. */
export function bestOfRounds(cases, rounds) {
  const best = new Map(cases.map((c) => [c.name, 0]));
  for (let round = 0; round < rounds; round++) {
    for (const { name, opsPerSecond } of measure(cases).results) best.set(name, Math.max(best.get(name), opsPerSecond));
  }
  return best;
}
