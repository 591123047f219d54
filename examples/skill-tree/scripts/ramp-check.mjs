#!/usr/bin/env node
// The ramp's promise, checked on two stages' exports: every unit exposed at both stages that was
// on list before is on list after. Raising the rollout may move units from tree to list, never
// back. Exit code 0 when it held, 1 when a unit moved back, 2 for unusable input.
//
//   node scripts/ramp-check.mjs exports/stage-10.jsonl exports/ramp-50.jsonl
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const EXPERIMENT = 'skill_tree_layout';
const VARIANTS = ['tree', 'list'];

/** Each unit's variant in an export of the example (Segment track calls): its last exposure's. */
export async function exposedVariants(path) {
  const variants = new Map();
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (!line.includes('"experiment_exposure"')) continue;
    const event = JSON.parse(line);
    if (event.properties?.experiment !== EXPERIMENT) continue;
    variants.set(event.userId ?? event.anonymousId, event.properties.variant);
  }
  return variants;
}

/**
 * How the units exposed at both stages moved: `{ both, moves: { 'tree → list': n, … }, backToControl }`,
 * where backToControl lists units that went from list to tree.
 */
export function compareStages(before, after) {
  const moves = Object.fromEntries(VARIANTS.flatMap((from) => VARIANTS.map((to) => [`${from} → ${to}`, 0])));
  const backToControl = [];
  let both = 0;
  for (const [unit, from] of before) {
    const to = after.get(unit);
    if (to === undefined) continue;
    both++;
    moves[`${from} → ${to}`] = (moves[`${from} → ${to}`] ?? 0) + 1;
    if (from !== VARIANTS[0] && to === VARIANTS[0]) backToControl.push(unit);
  }
  return { both, moves, backToControl };
}

async function main([beforePath, afterPath, ...rest]) {
  if (beforePath === undefined || afterPath === undefined || rest.length > 0) {
    console.error('usage: node scripts/ramp-check.mjs <export of the earlier stage> <export of the later stage>');
    return 2;
  }
  let before;
  let after;
  try {
    [before, after] = await Promise.all([exposedVariants(beforePath), exposedVariants(afterPath)]);
  } catch (error) {
    console.error(`ramp-check: ${error.message}`);
    return 2;
  }
  const { both, moves, backToControl } = compareStages(before, after);
  console.log(`${both} units exposed at both stages`);
  for (const [move, count] of Object.entries(moves)) console.log(`  ${move}  ${String(count).padStart(6)}`);
  if (both === 0) {
    console.error('ramp-check: no unit is in both exports; are they of the same users?');
    return 2;
  }
  if (backToControl.length > 0) {
    console.log(`FAILED: ${backToControl.length} units moved from list back to tree, e.g. ${backToControl.slice(0, 3).join(', ')}`);
    return 1;
  }
  console.log('OK: nobody moved from list back to tree');
  return 0;
}

// Run as a script, not when imported (pnpm demo uses the functions above). Node loads the script
// by its real path, so a path through a symlink is resolved before comparing.
const script = process.argv[1] === undefined ? undefined : pathToFileURL(realpathSync(process.argv[1])).href;
if (import.meta.url === script) process.exitCode = await main(process.argv.slice(2));
