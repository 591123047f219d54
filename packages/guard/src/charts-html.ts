// Text into HTML and SVG, and numbers as the status page and the daily report write them.

/** Escapes text for HTML and SVG text and attribute values (both quote kinds). */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A fraction as a percent with `digits` decimals: 0.0123 → "1.23%"; null → "—". */
export const percentText = (fraction: number | null, digits = 2): string =>
  fraction === null || !Number.isFinite(fraction) ? '—' : `${(fraction * 100).toFixed(digits)}%`;

/** Milliseconds as "812 ms" or "5.2 s"; null → "—". */
export const millisText = (ms: number | null): string =>
  ms === null || !Number.isFinite(ms) ? '—' : ms >= 1000 ? `${+(ms / 1000).toFixed(2)} s` : `${+ms.toFixed(1)} ms`;

/** 12345 → "12,345". */
export const countText = (n: number): string => Math.round(n).toLocaleString('en-US');
