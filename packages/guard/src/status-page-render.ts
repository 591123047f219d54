// The status page's HTML: one self-contained document per request, every value escaped, no
// script, no external reference (its Content-Security-Policy forbids them anyway).
import { CHART_COLOURS, lineChart, type ChartRule, type ChartSeries } from './charts.js';
import { countText, escapeHtml as e, millisText, percentText } from './charts-html.js';
import type { StatusGuardrail, StatusView } from './status-page-data.js';

const STYLE = `body{font-family:system-ui,sans-serif;margin:0 auto;max-width:980px;padding:16px;color:#111827;background:#f9fafb}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.1em;margin:1.4em 0 .4em}
.live{font-size:2.4em;font-weight:700}.off{color:#dc2626}.meta{color:#4b5563}
.banner{padding:8px 12px;border-radius:6px;margin:8px 0}.error{background:#fee2e2;color:#7f1d1d}.ok{background:#dcfce7;color:#14532d}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #e5e7eb;padding:4px 6px;text-align:left;font-size:.9em;vertical-align:top}
.verdict-rollback,.d-ROLLBACK{color:#b91c1c;font-weight:600}.verdict-hold,.d-HOLD{color:#b45309}.verdict-proceed,.d-PROCEED{color:#15803d}
.kill button{background:#dc2626;color:#fff;border:0;border-radius:6px;padding:10px 18px;font-size:1em;cursor:pointer}
.charts{display:flex;flex-wrap:wrap;gap:12px}.charts figure{margin:0}figcaption{font-size:.9em;color:#374151}
label{display:block;margin:8px 0}input[type=password],input[type=text]{width:320px;padding:4px}`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The headers every page of the status server sends: no caching, no framing, nothing loaded from elsewhere. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

const page = (title: string, body: string, refreshSeconds?: number): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  (refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : '') +
  `<title>${e(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;

const ms = (iso: string): number => Date.parse(iso);

/** A duration in words: "4m 10s", "3h 5m", "2d 4h". */
function durationText(millis: number): string {
  const s = Math.max(0, Math.round(millis / 1000));
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

const valueText = (unit: StatusGuardrail['unit'], value: number | null): string =>
  unit === 'rate' ? percentText(value) : unit === 'ms' ? millisText(value) : value === null ? '—' : String(+value.toFixed(4));

function guardrailChart(guardrail: StatusGuardrail, index: number): string {
  const format = (v: number) => valueText(guardrail.unit, v);
  const series: ChartSeries[] = [
    { name: 'treatment', colour: CHART_COLOURS.treatment, points: guardrail.points.map((p) => [ms(p.at), p.treatment]) },
    { name: 'control', colour: CHART_COLOURS.control, points: guardrail.points.map((p) => [ms(p.at), p.control]) },
  ];
  const rules: ChartRule[] = [];
  if (guardrail.baseline !== null) rules.push({ label: 'baseline', value: guardrail.baseline, colour: CHART_COLOURS.baseline });
  if (guardrail.hold !== null) rules.push({ label: 'hold from', value: guardrail.hold, colour: CHART_COLOURS.hold });
  if (guardrail.rollback !== null) rules.push({ label: 'rollback above', value: guardrail.rollback, colour: CHART_COLOURS.rollback });
  return `<figure>${lineChart({ id: `guardrail-${index}`, title: guardrail.label, series, rules, format })}<figcaption>${e(guardrail.label)}${guardrail.measure ? `<br>${e(guardrail.measure)}` : ''}</figcaption></figure>`;
}

function liveSection(view: StatusView): string {
  const { record } = view;
  if (view.storeError !== null) {
    return `<p class="banner error" data-field="store-error">The ${e(view.storeKind)} store could not be read: ${e(view.storeError)}. Instances keep serving the last rollout they read.</p>`;
  }
  if (record === null) return `<p class="live" data-field="live">no record</p><p class="meta">The ${e(view.storeKind)} store holds no rollout for ${e(view.experiment)}: every instance serves its base config.</p>`;
  const off = !record.enabled || record.rollout === 0;
  return (
    `<p><span class="live${off ? ' off' : ''}" data-field="live">${e(String(record.rollout))}%${record.enabled ? '' : ' (stopped)'}</span> ` +
    `<span class="meta">live in the ${e(view.storeKind)} store, version <span data-field="version">${e(String(record.version))}</span>` +
    `${record.phase ? `, phase <span data-field="phase">${e(record.phase)}</span>` : ''}; set by ${e(record.actor)} at ${e(record.updatedAt)}${record.reason ? `: ${e(record.reason)}` : ''}</span></p>` +
    (off ? `<p class="banner error">Kill switch on: everyone gets control.</p>` : '')
  );
}

function monitorSections(view: StatusView): string {
  if (view.monitorError !== null) return `<p class="banner error" data-field="monitor-error">The monitor's state could not be read: ${e(view.monitorError)}</p>`;
  const monitor = view.monitor;
  if (monitor === null) return `<p class="meta">No monitor state: only the store's record and history are shown.</p>`;
  const parts: string[] = [];
  const stage = monitor.stage;
  if (stage !== null) {
    const age = ms(view.readAt) - ms(stage.startedAt);
    parts.push(
      `<p data-field="stage">Stage <strong>${e(stage.name)}</strong> (${stage.index + 1} of ${stage.count}) at ${e(String(stage.percent))}%, ` +
        `started ${e(stage.startedAt)}, running ${durationText(age)} of at least ${durationText(stage.minDurationMs)}</p>`,
    );
  }
  const colours = monitor.variants.map((_, i) => (i === 0 ? CHART_COLOURS.control : [CHART_COLOURS.treatment, '#9333ea', '#0891b2'][(i - 1) % 3]!));
  const looks = monitor.looks;
  const exposures = lineChart({
    id: 'exposures',
    title: 'Units exposed per variant',
    format: (v) => countText(v),
    series: monitor.variants.map((name, i) => ({ name, colour: colours[i]!, points: looks.map((l) => [ms(l.at), l.units[i] ?? null] as const) })),
  });
  const balance = lineChart({
    id: 'balance',
    title: 'Share of units per variant',
    format: (v) => percentText(v, 0),
    max: 1,
    series: monitor.variants.map((name, i) => ({
      name,
      colour: colours[i]!,
      points: looks.map((l) => {
        const total = l.units.reduce((a, b) => a + b, 0);
        return [ms(l.at), total > 0 ? (l.units[i] ?? 0) / total : null] as const;
      }),
    })),
  });
  parts.push(`<h2>Exposures and balance</h2><div class="charts"><figure>${exposures}<figcaption>Units exposed per variant</figcaption></figure><figure>${balance}<figcaption>Share of units per variant</figcaption></figure></div>`);
  parts.push(`<h2>Guardrails</h2>`);
  if (monitor.guardrails.length === 0) parts.push(`<p class="meta">No guardrails in this stage.</p>`);
  else {
    const rows = monitor.guardrails.map((g) => {
      const last = g.points.at(-1);
      return `<tr><td>${e(g.label)}</td><td>${e(valueText(g.unit, last?.treatment ?? null))}</td><td>${e(valueText(g.unit, last?.control ?? null))}</td><td>${e(valueText(g.unit, g.baseline))}</td><td class="verdict-${e(last?.verdict ?? 'none')}">${e(last?.verdict.toUpperCase() ?? 'no look yet')}</td></tr>`;
    });
    parts.push(`<table data-table="guardrails"><tr><th>guardrail</th><th>treatment</th><th>control</th><th>baseline</th><th>last verdict</th></tr>${rows.join('')}</table>`);
    parts.push(`<div class="charts">${monitor.guardrails.map(guardrailChart).join('')}</div>`);
  }
  const decisions = [...monitor.decisions].reverse().slice(0, 50);
  parts.push(`<h2>Monitor decisions</h2>`);
  parts.push(
    decisions.length === 0
      ? `<p class="meta">No decision yet.</p>`
      : `<table data-table="decisions"><tr><th>at</th><th>decision</th><th>why</th></tr>${decisions.map((d) => `<tr><td>${e(d.at)}</td><td class="d-${e(d.decision)}">${e(d.decision)}</td><td>${e(d.reason)}</td></tr>`).join('')}</table>`,
  );
  return parts.join('');
}

function historySection(view: StatusView): string {
  if (view.history.length === 0) return `<h2>Store history</h2><p class="meta">No changes recorded.</p>`;
  const rows = [...view.history].reverse().map(
    (c) =>
      `<tr><td>${e(c.at)}</td><td>v${e(String(c.version))}</td><td>${e(c.actor)}</td><td>${c.from ? `${e(String(c.from.rollout))}%` : '-'} → ${e(String(c.to.rollout))}%${c.to.enabled ? '' : ' (stopped)'}</td><td>${e(c.phase ?? '')}</td><td>${e(c.reason ?? '')}</td></tr>`,
  );
  return `<h2>Store history</h2><table data-table="history"><tr><th>at</th><th>version</th><th>by</th><th>change</th><th>phase</th><th>reason</th></tr>${rows.join('')}</table>`;
}

/** The status page: the live rollout, the stage, charts, guardrails, decisions, history and the kill switch. */
export function renderStatusPage(view: StatusView, options: { readonly base: string; readonly refreshSeconds: number; readonly killSwitch: boolean }): string {
  const kill = options.killSwitch
    ? `<form class="kill" method="get" action="${e(options.base)}/rollback"><button type="submit" data-action="kill">Roll back to 0%…</button> <span class="meta">asks for confirmation and the operator token</span></form>`
    : `<p class="meta" data-field="kill-off">The kill switch is off: start the status page with a token to enable it.</p>`;
  const body =
    `<h1>${e(view.experiment)}</h1>${liveSection(view)}${kill}${monitorSections(view)}${historySection(view)}` +
    `<p class="meta">Read at ${e(view.readAt)}; refreshes every ${options.refreshSeconds} s. <a href="${e(options.base)}/status.json">JSON</a></p>`;
  return page(`${view.experiment}: ${view.record ? `${view.record.rollout}%` : 'status'}`, body, options.refreshSeconds);
}

/** The confirm step: what will change, the operator token, a reason; nothing happens until it is posted. */
export function renderConfirmPage(view: StatusView, options: { readonly base: string; readonly csrf: string }): string {
  const from = view.record ? `${view.record.rollout}%${view.record.enabled ? '' : ' (stopped)'}` : 'no record';
  const body =
    `<h1>Roll back ${e(view.experiment)} to 0%?</h1>` +
    `<p>The ${e(view.storeKind)} store now says <strong>${e(from)}</strong>. Setting it to 0% sends every user to control on every instance that follows the store, within seconds. It is recorded in the store's history.</p>` +
    `<form method="post" action="${e(options.base)}/rollback">` +
    `<input type="hidden" name="csrf" value="${e(options.csrf)}"><input type="hidden" name="confirm" value="yes">` +
    `<label>Operator token <input type="password" name="token" autocomplete="off" required></label>` +
    `<label>Your name <input type="text" name="actor" value="status-page"></label>` +
    `<label>Reason <input type="text" name="reason" value="kill switch from the status page"></label>` +
    `<p class="kill"><button type="submit" data-action="confirm">Yes, roll back to 0%</button> <a href="${e(options.base)}/">Cancel</a></p></form>`;
  return page(`Roll back ${view.experiment}?`, body);
}

/** What the kill switch did, or why it did nothing. */
export function renderOutcomePage(options: { readonly base: string; readonly ok: boolean; readonly title: string; readonly detail: string }): string {
  const body = `<h1>${e(options.title)}</h1><p class="banner ${options.ok ? 'ok' : 'error'}" data-field="outcome">${e(options.detail)}</p><p><a href="${e(options.base)}/">Back to the status page</a></p>`;
  return page(options.title, body);
}
