// The tables bench/live-propagation.mjs prints: one per measurement, every source side by side.

const ms = (value) => (value === null || value === undefined || Number.isNaN(value) ? '-' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`);

/** Nearest-rank percentile of the values that finished (null: past the deadline, counted apart). */
function percentile(values, q) {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

function table(header, rows) {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log();
}

export function printPropagation(results, pollMs) {
  console.log('Kill switch under traffic: `rollout set skill_tree_layout 0` at 10% until every instance answers every request with control');
  table(
    ['source', 'poll', 'reps', 'p50', 'p99', 'max', 'late', 'requests', 'failed', 'target', ''],
    results.map(({ kind, pollMs: poll, times, answered, failures }) => {
      const limit = poll === undefined ? 1000 : poll + 1000;
      const p99 = percentile(times, 0.99);
      const late = times.filter((t) => t === null).length;
      const met = late === 0 && p99 !== null && p99 <= limit;
      return [kind, poll === undefined ? 'push (30 s)' : `${poll / 1000} s`, times.length, ms(percentile(times, 0.5)), ms(p99), ms(percentile(times, 1)), late, answered, failures, `p99 <= ${ms(limit)}`, met ? 'met' : 'MISSED'];
    }),
  );
  console.log(`(late: repetitions past the deadline. With ${results[0]?.times.length ?? 0} repetitions the p99 is their maximum. File and HTTP at --poll-ms ${pollMs}.)\n`);
}

export function printRamp(results) {
  console.log('10% -> 50% under traffic, each unit seen before the change and again once every instance serves 50%');
  table(
    ['source', 'units', 'list at 10% then tree', 'flipped while instances differed', 'tree -> list', 'wrong answers', 'failed'],
    results.map((r) => [r.kind, r.population, r.backFromBefore, r.flipped, r.movedUp, r.wrong, r.failures]),
  );
  console.log('(list at 10% then tree must be 0. "Flipped" counts units that got list from an instance already at 50% and tree from one still at 10%.)\n');
}

export function printOutage(results) {
  console.log('Store outage under traffic: service stopped, instance 1 restarted while it is down, service started, 50% set at once (it was 25%)');
  table(
    ['store', 'down', 'requests', 'failed', 'not 25%', 'latency before p50/p99/max', 'during outage p50/p99/max', '>100 ms before/during'],
    results.map((r) => [
      r.kind,
      ms(r.outageMs),
      r.requests,
      r.failed.before + r.failed.outage + r.failed.after,
      r.notLastGood,
      `${ms(r.latency.before.p50)} / ${ms(r.latency.before.p99)} / ${ms(r.latency.before.max)}`,
      `${ms(r.latency.outage.p50)} / ${ms(r.latency.outage.p99)} / ${ms(r.latency.outage.max)}`,
      `${r.latency.before.over100} / ${r.latency.outage.over100}`,
    ]),
  );
  table(
    ['store', 'restarted instance: exit, then served', 'stale at the end of the outage (0,1,2)', 'set 50% after back', '50% on 0 / 1 / 2 after the set', 'all fresh after back'],
    results.map((r) => [r.kind, `${r.restarted.exitCode}, ${r.restarted.status.percentage}%`, r.staleDuringOutage.join(','), ms(r.setAfterBackMs), r.eachPickedUpMs.map(ms).join(' / '), ms(r.freshAfterBackMs)]),
  );
  for (const r of results) console.log(`${r.kind}: the restarted instance's start-up line: ${r.restarted.line}`);
  for (const r of results) {
    const around = r.slow.filter(({ atMs }) => atMs >= r.restarted.fromMs - 500 && atMs <= r.restarted.toMs + 500).length;
    const worst = [...r.slow].sort((a, b) => b.ms - a.ms).slice(0, 3).map(({ atMs, ms: took, instance }) => `${ms(took)} at +${ms(atMs)} (instance ${instance})`);
    console.log(
      `${r.kind}: ${r.slow.length} answers over 100 ms during the outage, ${around} of them within 0.5 s of instance 1's restart (+${ms(r.restarted.fromMs)} to +${ms(r.restarted.toMs)} after the stop)${worst.length ? `; slowest: ${worst.join(', ')}` : ''}`,
    );
  }
  console.log('\n(failed and not 25% must be 0: every request answered, with the last good rollout, from the stop until 50% was set.)');
}
