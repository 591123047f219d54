import { readReference } from '../../../test-support/reference-values.js';

export { closeTo } from '../../../test-support/reference-values.js';

/** The SciPy reference values written by fixtures/make_reference.py (the analysis's; the statistics' own are @bucketry/stats's). */
export const reference = readReference(new URL('../fixtures/reference.json', import.meta.url));
