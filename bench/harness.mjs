// A small timing harness: calls are timed in batches (a clock read per call would cost more
// than the calls being measured), samples of several cases are interleaved so a noisy
// neighbour slows all cases alike, and the median sample is reported.

/**
 * Compiles a loop that calls `fn` on the ids in turn, `iterations` times, and folds what
 * `fn` returns into a sink so that the optimizer cannot drop the calls.
 * Each loop is compiled from its own source text (the counter in its first line makes each
 * text unique, which V8's compilation cache would otherwise share between identical texts), so
 * that each call site sees one function only and every case gets the same chance to be inlined.
 */
let loopsCompiled = 0;
function compileLoop(fn, ids) {
  // eslint-disable-next-line no-new-func
  const make = new Function(
    'fn',
    'ids',
    `// timed loop ${loopsCompiled++}
    return function timedLoop(iterations) {
      const length = ids.length;
      let sink = 0;
      let i = 0;
      for (let n = 0; n < iterations; n++) {
        sink = (sink + fn(ids[i])) | 0;
        if (++i === length) i = 0;
      }
      return sink;
    };`,
  );
  return make(fn, ids);
}

const nowNs = () => process.hrtime.bigint();

function timeBatch(loop, iterations) {
  const start = nowNs();
  const sink = loop(iterations);
  return { seconds: Number(nowNs() - start) / 1e9, sink };
}

/** The middle value (the mean of the two middle ones for an even count). */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Measures each case's throughput.
 * @param cases - `{ name, fn, ids }`; `fn(id)` returns a number
 * @param options - `warmupSeconds` per case, `sampleSeconds` per sample, `samples` per case
 * @returns per case: median ops/s, all sample rates, and the folded sink
 */
export function measure(cases, { warmupSeconds = 0.4, sampleSeconds = 0.15, samples = 7 } = {}) {
  let sink = 0;
  const prepared = cases.map((c) => {
    const loop = compileLoop(c.fn, c.ids);
    // Warm up until the loop is optimized, then size a batch to take about sampleSeconds.
    let iterations = 1000;
    let spent = 0;
    let rate = 0;
    while (spent < warmupSeconds) {
      const batch = timeBatch(loop, iterations);
      sink ^= batch.sink;
      spent += batch.seconds;
      rate = iterations / batch.seconds;
      if (batch.seconds < 0.02) iterations *= 4;
    }
    return { ...c, loop, iterations: Math.max(1000, Math.round(rate * sampleSeconds)), rates: [] };
  });
  for (let round = 0; round < samples; round++) {
    for (const c of prepared) {
      const batch = timeBatch(c.loop, c.iterations);
      sink ^= batch.sink;
      c.rates.push(c.iterations / batch.seconds);
    }
  }
  return {
    sink,
    results: prepared.map((c) => ({
      name: c.name,
      opsPerSecond: median(c.rates),
      minOpsPerSecond: Math.min(...c.rates),
      maxOpsPerSecond: Math.max(...c.rates),
      samples: c.rates.length,
      iterationsPerSample: c.iterations,
    })),
  };
}
