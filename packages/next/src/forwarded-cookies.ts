/** The `name=value` a `Set-Cookie` line sets. */
const pairOf = (setCookie: string): string => {
  const end = setCookie.indexOf(';');
  return (end === -1 ? setCookie : setCookie.slice(0, end)).trim();
};

const nameOf = (pair: string): string => {
  const eq = pair.indexOf('=');
  return (eq === -1 ? pair : pair.slice(0, eq)).trim();
};

/**
 * The request's `Cookie` header as the browser will send it once it has this response's
 * `Set-Cookie` lines: the cookies set replace the request's copies (every copy, so no reader can
 * pick a stale one) and the others stay as they were. Forwarded to the page, it makes `cookies()`
 * agree with the proxy on the first request too: a new visitor's id is there, and a variant cookie
 * the proxy rewrote (kill switch, tampering) reads as rewritten.
 */
export function cookieHeaderAfter(cookieHeader: string | undefined, setCookies: readonly string[]): string {
  const pairs = setCookies.map(pairOf);
  const replaced = new Set(pairs.map(nameOf));
  const kept = (cookieHeader ?? '')
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !replaced.has(nameOf(entry)));
  return [...kept, ...pairs].join('; ');
}
