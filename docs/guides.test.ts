import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGuideSession, ROOT } from '../scripts/docs/guide-session.mjs';
import { parseGuide } from '../scripts/docs/markdown-commands.mjs';

// Every guide and runbook under docs/, run as a reader would: each ```sh command runs, in order,
// against the real example API, and prints what the guide says (scripts/docs/ has the rules).
const guides = readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
  .map((path) => `docs/${path}`)
  .filter((path) => path.endsWith('.md') && !path.startsWith('docs/api/'))
  .sort();

describe('the guides in docs/', () => {
  it('are found, with the runbooks among them', () => {
    expect(guides).toEqual(expect.arrayContaining(['docs/README.md', 'docs/concepts.md', 'docs/spec.md', 'docs/getting-started/express.md']));
    expect(guides.filter((path) => path.startsWith('docs/runbooks/')).length).toBeGreaterThanOrEqual(5);
  });

  it('link only to files that exist', () => {
    const broken = [];
    for (const guide of guides) {
      const text = readFileSync(join(ROOT, guide), 'utf8');
      for (const [, target] of text.matchAll(/\]\(((?!https?:|#|mailto:)[^)\s#]+)(#[^)]*)?\)/g)) {
        if (!existsSync(join(ROOT, guide, '..', target!))) broken.push(`${guide} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe.each(guides)('%s', (guide) => {
  it('does what it says: every command runs and prints the documented output', async () => {
    const blocks = parseGuide(readFileSync(join(ROOT, guide), 'utf8'));
    const session = await createGuideSession();
    try {
      for (const block of blocks) await session.run(block, `${guide}:${block.line}`);
    } finally {
      await session.close(`${guide}: at the end`);
    }
  });
});
