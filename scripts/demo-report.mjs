// The words `pnpm demo` prints for one `bucketry analyze --format json` report: each check as a
// sentence a person reads once (the JSON carries codes and numbers; the demo says what they mean).
const number = (n) => n.toLocaleString('en');
const percent = (x, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const signedPercent = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}%`;
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const list = (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** What the example's events are, in words; other names as they are. */
const WORDS = { session_started_from_tree: 'session starts', skill_tree_error: 'render errors', skill_tree_loaded: 'load time' };
const words = (name) => WORDS[name] ?? name;

/** `60000` → `1-minute`, `21600000` → `6-hour`: the length of the balance check's stretches. */
function stretch(ms) {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}-hour`;
  if (ms % 60_000 === 0) return `${ms / 60_000}-minute`;
  return `${ms / 1000}-second`;
}

function splitSentence(report) {
  const shares = report.variants.map((v) => `${v.name} ${number(v.units)} (${percent(v.share)})`).join(', ');
  const expected = report.variants.map((v) => Math.round(100 * v.expectedShare)).join('/');
  const { status, pValue } = report.srm;
  if (status === 'not-applicable') return `Split: ${shares}; too few users to check it against the ${expected} rollout.`;
  const p = `sample ratio check p = ${pValue.toFixed(2)}`;
  if (status === 'ok') return `Split: ${shares}, as the ${expected} rollout should give (${p}).`;
  return `Split: ${shares}, NOT what the ${expected} rollout should give (${p}): assignment or logging is losing users.`;
}

function balanceSentence({ intervalMs, judgedBuckets: judged, flaggedBuckets: flagged }) {
  const length = stretch(intervalMs);
  if (judged === 0) return `Over time: no ${length} stretch had enough users to judge whether the split drifted.`;
  const stretches = judged === 1 ? `the one ${length} stretch` : `all ${judged} ${length} stretches`;
  if (flagged === 0) return `Over time: the split held steady in ${stretches} with enough users to judge.`;
  return `Over time: the split drifted out of tolerance in ${flagged} of ${judged} ${length} stretches.`;
}

function liftSentence(report, metricName) {
  const metric = report.metrics.find((m) => m.name === metricName);
  if (metric === undefined) return [];
  const rates = metric.variants.map((v) => `${v.name} ${percent(v.rate)}`).join(', ');
  const lifts = metric.comparisons.map(({ treatment, control, relativeLift: l }) => `${treatment} vs ${control} ${signedPercent(l.estimate)} (95% interval ${signedPercent(l.low)} to ${signedPercent(l.high)})`);
  return [`${words(metricName)[0].toUpperCase()}${words(metricName).slice(1)}: ${rates}; ${lifts.join('; ')}.`];
}

/** One guardrail: what it asks of each treatment arm, and what it measured. */
function guardrailRule({ guardrail: g, arms }, control) {
  const arm = arms.map((a) => a.variant).join(', ');
  const reading = arms[0]?.reading;
  if (g.type === 'non-inferiority') {
    const side = g.direction === 'lower-is-better' ? 'above' : 'below';
    const worst = reading?.kind === 'bounds' ? `, at worst ${signedPercent(g.direction === 'lower-is-better' ? reading.upper : reading.lower)}` : '';
    return `${words(g.metric)} on ${arm} not more than ${percent(g.margin, 0)} ${side} ${control}${worst}`;
  }
  if (g.type === 'rate') return `${words(g.metric)} on ${arm} under ${percent(g.hold, 0)} of users${reading?.kind === 'rate' ? `, ${percent(reading.rate, 2)}` : ''}`;
  if (g.type === 'percentile') return `p${g.percentile} ${words(g.event)} on ${arm} under ${g.hold / 1000} s${reading?.kind === 'percentile' ? `, ${seconds(reading.value)}` : ''}`;
  return `${g.type} guardrail on ${words(g.metric ?? g.event)}`;
}

function guardrailSentences(report) {
  const verdict = (g) => (!g.measured ? 'NOT MEASURED' : g.outcome === 'proceed' ? 'pass' : g.outcome.toUpperCase());
  const passed = report.guardrails.filter((g) => g.measured && g.outcome === 'proceed').length;
  const head = `Guardrails: ${passed} of ${report.guardrails.length} pass.`;
  return [head, ...report.guardrails.map((g) => `  ${verdict(g)}: ${guardrailRule(g, report.control)}`)];
}

/** The lines for one report, indented under the demo's stage. */
export function analysisLines(report, policy) {
  const loads = report.durations.find((d) => d.event === 'skill_tree_loaded');
  const errors = report.metrics.find((m) => m.name === 'skill_tree_error');
  return [
    `bucketry analyze --policy ${policy} says:`,
    ...[
      splitSentence(report),
      balanceSentence(report.balance),
      ...liftSentence(report, 'session_started_from_tree'),
      ...(errors ? [`Render errors: ${list(errors.variants.map((v) => `${v.name} ${percent(v.rate, 2)}`))} of users.`] : []),
      ...(loads ? [`Load time (95th percentile): ${list(loads.variants.map((v) => `${v.name} ${seconds(v.p95)}`))}.`] : []),
      ...guardrailSentences(report),
      `Decision: ${report.decision.toUpperCase()}.`,
    ].map((line) => `  ${line}`),
  ];
}
