import { escapeHtml } from './svg-charts.js';

/** One table cell of text, escaped. */
export const cell = (value: string): string => `<td>${escapeHtml(value)}</td>`;

/** A header row of labels, escaped. */
export const head = (labels: readonly string[]): string => `<tr>${labels.map((l) => `<th>${escapeHtml(l)}</th>`).join('')}</tr>`;
