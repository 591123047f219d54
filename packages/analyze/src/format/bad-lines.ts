import type { BadLineExample } from '../analysis/accumulator.js';
import { cell, head } from './html-table.js';
import { count } from './numbers.js';
import { escapeHtml } from './svg-charts.js';

/** A report's bad lines: how many, and the first few with their line numbers and reasons. */
interface BadLines {
  readonly count: number;
  readonly examples: readonly BadLineExample[];
}

/** The text report's bad-lines section: a heading, then one line per example. */
export function badLinesText(badLines: BadLines): string[] {
  const listed = badLines.examples.length < badLines.count ? `; the first ${badLines.examples.length}` : '';
  return [`Bad lines (${count(badLines.count)}, skipped${listed})`, ...badLines.examples.map((e) => `  line ${e.line}: ${e.reason}`)];
}

/** The HTML report's bad-lines section: a heading and a table of line and reason. */
export function badLinesHtml(badLines: BadLines): string {
  const rows = badLines.examples.map((e) => `<tr>${cell(String(e.line))}<td class="wrap">${escapeHtml(e.reason)}</td></tr>`);
  return [`<h2>Bad lines (${count(badLines.count)})</h2><table>${head(['line', 'reason'])}`, ...rows, '</table>'].join('\n');
}
