import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import importedText from '../../../spec/vectors.json?raw';
import { describeSpecVectors } from './test-support/spec-vector-suite.js';
import type { SpecVectors } from './test-support/spec-vectors.js';

const text = readFileSync(fileURLToPath(new URL('../../../spec/vectors.json', import.meta.url)), 'utf8');

describeSpecVectors('Node', JSON.parse(text) as SpecVectors);

it('imports spec/vectors.json with ?raw byte for byte, so the edge test sees the same vectors', () => {
  expect(importedText).toBe(text);
});
