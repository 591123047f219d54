import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureBundle } from '../../../test-support/bundle-size.js';

// What a proxy.ts (or Edge middleware.ts) that uses this package adds to the proxy bundle, with
// @bucketry/http and @bucketry/core in it (nothing else in that bundle shares them) and Next
// itself left out. No issue sets a budget; this ceiling is today's size, rounded up, so that
// growth is a decision.
// 12,694 B, +16 B for QA-override exposures remembered apart (core), 12,648 B after core's smaller
// bundles, then +113 B for the error naming where to look up a user or attributes given as a promise,
// then +42 B for reading variant cookies in place (indexOf, no slice per cookie; see cookies.ts).
// 13,252 B once issue #20 made core decide every assignment (fallbackAssignment, serverAssignment,
// live updates) and moved header names and QA overrides into http (measured at 79ce49b with only
// this package's build fixed); then +136 B here: +55 for naming field, rule and value in what the
// page ignores from the forwarded header, +81 for createNextExperiments split into files by concept
// with the exchange a class (13,388 B). 13,580 B (+192, all of it core's dist) once core took the
// spec's rules to the letter (null and unknown fields refused by path, items named one by one) and
// one rendering of bad values for every error: see core's bundle-size.test.ts.
// 14,360 B (#13, sticky stores in the proxy): 13,948 B with this package and http as at 7f74802 and
// core's dist as built at 22:11 on 2026-12-07 (+368 B, all core's: the batching sink's deadline,
// 3d044fb, and what core had then), then +409 B for the `sticky` option: http's option check,
// loadUnits and RequestAssignments.loadSticky (+765 B minified), proxy-sticky.ts (+499 B), the
// factory choosing the proxy with or without a store (+137 B) and proxy.ts taking a loaded
// request (+41 B): 14,357 B. A proxy without a store runs none of it but ships it: a store is an
// option, not an import.
// 14,990 B (+622, all of it core's dist, nothing of this package's): every exposure's eventId
// (198372f, +111 in core) and core refusing hostile configurations and units (111ad1e: the
// limits of docs/spec.md §5.6, a config read once into a plain copy, units whose getters throw;
// +637 in core, of which a proxy ships nearly all): see core's bundle-size.test.ts. 14,982 B.
// 15,004 B: core's set errors joining a non-identifier field with its brackets (+15 in core).
// +1,172 B (#21): the proxy signs the assignments it forwards and fromHeaders checks the signature,
// so that a client's own header on a route outside the matcher picks no variant: HMAC-SHA-256
// written out in http (sha256.ts, ~700 B, its compression loop unrolled into locals for speed:
// Web Crypto's subtle.sign is async only, and proxy() and fromHeaders() answer synchronously),
// forwarded-signature.ts, and the refusal in server-experiments.ts. Measured as this package at
// a8413d4~1 against its signed version, with the same http and core dists (15,766 → 16,938 B):
// growth of those dists from other work is not counted here.
// +352 B (#21, delivery to collectors): core's batching sink retries within a time budget, waits
// for a Retry-After and aborts timed-out attempts through an AbortSignal, and createFetchSink
// passes the signal to fetch and reads Retry-After (fetch-sink-retry-after.ts); core's set errors
// name a throwing Proxy trap. Measured from src (esbuild, core and http aliased) at d1300f4 with
// and without those files: 16,554 → 16,906 B.
// +478 B, all core's dist (see core's bundle-size.test.ts): variant values (#15: the check in
// defineExperiment and the value on every result), bucketry.expose taking an interleaved list
// and remembering it by query and list (#16; interleave itself is not in a proxy), and
// createBucketry reading its options once (#21). 17,006 B.
// +73 B, all core's dist (39d334b, +82 in core): a set refuses a copy of a defined experiment
// ({ ...experiment, enabled: false } kept assigning with the original's plan), naming
// experiments[i]; no other src of core, http or next changed since 17,006. 17,079 B.
// +51 B (#15): variant values reach the pages. The header carried none (plainAssignment dropped
// them), so fromHeaders gave every assignment `value: undefined`: now the proxy's assignments keep
// them, the header leaves them out (up to 64 KiB each) and the page restores them from its own
// experiments (forwarded.ts +105 B minified); fallbacks carry control's (core's fallbackAssignment
// taking the experiment, +57 B minified). 17,130 B.
// +40 B (#21): createFetchSink gives a batch up at once on a 4xx other than 408 and 429 (a wrong
// token, a bad body), naming it "(not retried)": it retried it for the whole 5-minute budget,
// holding every batch behind it while the queue filled. Measured at 962b7da with and without
// the change, the same core dist: 17,130 → 17,170 B (the message 19 B of it).
const CEILING = 17_170;

const here = fileURLToPath(new URL('.', import.meta.url));
const indexPath = fileURLToPath(new URL('./index.ts', import.meta.url));

describe('bundle size', () => {
  it(`a proxy with createNextExperiments and createFetchSink adds at most ${CEILING} B gzipped`, async () => {
    const measured = await measureBundle(`export { createNextExperiments, createFetchSink } from ${JSON.stringify(indexPath)};`, {
      resolveDir: here,
      external: ['next', 'next/*'],
    });
    // Guards against an empty bundle, or one that pulled Next in or left the Bucketry packages out.
    expect(measured.exports).toEqual(['createFetchSink', 'createNextExperiments']);
    expect(measured.breakdown).not.toMatch(/node_modules\/next\//);
    expect(measured.breakdown).toMatch(/packages\/core\/dist/);
    expect(
      measured.gzipped,
      `@bucketry/next: ${measured.gzipped} B gzipped (ceiling ${CEILING} B), ${measured.minified} B minified; minified bytes by file: ${measured.breakdown}`,
    ).toBeLessThanOrEqual(CEILING);
  });
});
