// Runs one guide (a markdown file under the repository root) block by block in a fresh scratch
// session, as a reader would; throws at the first command that fails or prints something else.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGuideSession, ROOT } from './guide-session.mjs';
import { parseGuide } from './markdown-commands.mjs';

/**
 * Runs the guide; `options.exports` stands values in for the guide's own exports (see
 * createGuideSession), and each of those must be exported. Resolves with every server it started
 * (`{ port, pid, where }`, port as documented), in order.
 */
export async function runGuide(guide, options = {}) {
  const blocks = parseGuide(readFileSync(join(ROOT, guide), 'utf8'));
  const session = await createGuideSession(options);
  try {
    for (const block of blocks) await session.run(block, `${guide}:${block.line}`);
    const unused = Object.keys(options.exports ?? {}).filter((name) => !session.exported().has(name));
    if (unused.length > 0) throw new Error(`${guide} never exports ${unused.join(', ')}, so the value the test gave was not used`);
    return session.starts();
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
