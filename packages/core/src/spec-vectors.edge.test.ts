// No node:fs in the edge runtime, so the file comes in as text through Vite's `?raw` import and
// is parsed here. (A plain JSON import is no good: Vite's JSON plugin rejects the lone-surrogate
// escapes such as "\ud800" that the vectors rely on.)
import text from '../../../spec/vectors.json?raw';
import { describeSpecVectors } from './test-support/spec-vector-suite.js';
import type { SpecVectors } from './test-support/spec-vectors.js';

// The core-edge project runs this file under edge-runtime; the core project's pattern picks it up too.
const edgeRuntime = (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime;
const runtime = typeof edgeRuntime === 'string' ? `the edge runtime (${edgeRuntime})` : 'Node, through the edge test file';

describeSpecVectors(runtime, JSON.parse(text) as SpecVectors);
