// Runs one guide (a markdown file under the repository root) block by block in a fresh scratch
// session, as a reader would; throws at the first command that fails or prints something else.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGuideSession, ROOT } from './guide-session.mjs';
import { parseGuide } from './markdown-commands.mjs';

export async function runGuide(guide) {
  const blocks = parseGuide(readFileSync(join(ROOT, guide), 'utf8'));
  const session = await createGuideSession();
  try {
    for (const block of blocks) await session.run(block, `${guide}:${block.line}`);
  } finally {
    await session.close(`${guide}: at the end`);
  }
}

/** The guides under docs/ (docs/api is build output), sorted, as paths from the repository root. */
export function docsGuides() {
  return readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .map((path) => `docs/${path}`)
    .filter((path) => path.endsWith('.md') && !path.startsWith('docs/api/'))
    .sort();
}
