import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../scripts/docs/guide-session.mjs';
import { docsGuides, runGuide } from '../scripts/docs/run-guide.mjs';

// Every guide under docs/ except the runbooks (runbooks.test.ts, run in parallel with this file),
// and the example API's README, run as a reader would: each ```sh command runs, in order, against
// the real example API, and prints what the guide says (scripts/docs/ has the rules). The Next.js
// guide builds an app from an empty folder, with packages from the registry: it runs in an app of
// its own, in scripts/pack-packages.test.ts.
const all = docsGuides();
const IN_AN_APP_OF_ITS_OWN = ['docs/getting-started/next.md'];
const guides = [...all.filter((path) => !path.startsWith('docs/runbooks/') && !IN_AN_APP_OF_ITS_OWN.includes(path)), 'examples/skill-tree/README.md'];

describe('the guides in docs/', () => {
  it('are found, the runbooks among them', () => {
    expect(all).toEqual(expect.arrayContaining(['docs/README.md', 'docs/concepts.md', 'docs/spec.md', 'docs/getting-started/express.md', 'docs/runbooks/README.md']));
    expect(all.filter((path) => path.startsWith('docs/runbooks/')).length).toBeGreaterThanOrEqual(5);
  });

  it('link only to files that exist', () => {
    const broken = [];
    for (const guide of [...all, 'examples/skill-tree/README.md']) {
      const text = readFileSync(join(ROOT, guide), 'utf8');
      for (const [, target] of text.matchAll(/\]\(((?!https?:|#|mailto:)[^)\s#]+)(#[^)]*)?\)/g)) {
        if (!existsSync(join(ROOT, guide, '..', target!))) broken.push(`${guide} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe.each(guides)('%s', (guide) => {
  it('does what it says: every command runs and prints the documented output', () => runGuide(guide), 240_000);
});
