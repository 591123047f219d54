/**
 * The spec-vector tests, defined once for every runtime that runs them (Node, edge). Test
 * support only.
 */
import { describe, expect, it } from 'vitest';
import * as core from '../index.js';
import { runSpecVectors, SECTIONS, specMismatches, type SpecResults, type SpecVectors } from './spec-vectors.js';

/** Checks every vector of spec/vectors.json against this runtime's @bucketry/core. */
export function describeSpecVectors(runtime: string, vectors: SpecVectors): void {
  describe(`spec/vectors.json in ${runtime}`, () => {
    let results: SpecResults | undefined;
    const mismatches = () => specMismatches(vectors, (results ??= runSpecVectors(core, vectors)));

    it('has vectors in every section and at least 300 assignment cases', () => {
      for (const section of SECTIONS) expect(vectors[section].length, section).toBeGreaterThan(0);
      expect(vectors.cases.length).toBeGreaterThanOrEqual(300);
      // Every outcome the algorithm can reach without code (predicates, failing stores) is covered:
      // 'error' is a per-call override naming no variant.
      const reasons = new Set(vectors.cases.map((c) => c.expected.reason));
      const all = ['bucketed', 'disabled', 'error', 'holdout', 'ineligible', 'layer', 'missing_unit', 'override', 'sticky', 'traffic'];
      expect([...reasons].sort()).toEqual(all);
    });

    it.each(SECTIONS)('%s agree exactly with the Python reference', (section) => {
      expect(mismatches().filter((m) => m.section === section)).toEqual([]);
    });
  });
}
