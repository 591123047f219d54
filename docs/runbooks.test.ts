import { describe, it } from 'vitest';
import { docsGuides, runGuide } from '../scripts/docs/run-guide.mjs';

// The runbooks under docs/runbooks/, run as an operator would: every command, in order, against
// the real example API started with the documented environment, printing what the runbook says.
// Apart from guides.test.ts so that the two files run in parallel.
const runbooks = docsGuides().filter((path) => path.startsWith('docs/runbooks/'));

describe.each(runbooks)('%s', (runbook) => {
  it('does what it says: every command runs and prints the documented output', () => runGuide(runbook), 240_000);
});
