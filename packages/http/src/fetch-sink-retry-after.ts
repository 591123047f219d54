/**
 * How long a `Retry-After` header asks a client to wait, in ms: delay-seconds (`120`) or an
 * HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`, and the obsolete RFC 850 and asctime forms, all in
 * GMT), a date in the past being 0. Undefined when there is no header or it is neither, so a
 * malformed one changes nothing. (RFC 9110 §10.2.3.)
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  // A date starts with its day's name; Date.parse alone would take "2026" or "1.5" as one.
  if (!/^[A-Za-z]{3,9},? /.test(text)) return undefined;
  const at = Date.parse(/ GMT$/.test(text) ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
