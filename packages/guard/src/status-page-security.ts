// What stands between a browser on another site and the kill switch, besides the operator's token
// (@bucketry/http's constant-time staffTokenMatches): a CSRF token only a page this server rendered
// carries, and the request's own word on where it came from (Origin, Sec-Fetch-Site).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** How long a rendered page's CSRF token is accepted: the confirm step may sit open a while. */
export const CSRF_LIFETIME_MS = 60 * 60 * 1000;

/**
 * CSRF tokens for the page's forms: `<issued at, base 36>.<HMAC of it under a secret of this
 * process>`. Another site cannot read a page of ours (same-origin policy), so it cannot post one;
 * a token older than {@link CSRF_LIFETIME_MS} or from before a restart is refused.
 */
export function createCsrf(secret: Buffer = randomBytes(32)) {
  const sign = (issued: string) => createHmac('sha256', secret).update(issued).digest('base64url');
  return {
    issue(now: number = Date.now()): string {
      const issued = now.toString(36);
      return `${issued}.${sign(issued)}`;
    },
    /** Null when valid, else why not. */
    check(token: unknown, now: number = Date.now()): string | null {
      if (typeof token !== 'string' || token === '') return 'the form carries no CSRF token: reload the status page and try again';
      const [issued = '', mac = ''] = token.split('.', 2);
      const expected = sign(issued);
      if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
        return 'the CSRF token is not one this server issued (was the monitor restarted?): reload the status page and try again';
      }
      const age = now - parseInt(issued, 36);
      if (!(age >= 0 && age <= CSRF_LIFETIME_MS)) return 'the CSRF token has expired: reload the status page and try again';
      return null;
    },
  };
}

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Null when a state-changing request comes from a page of this server, else why it is refused.
 * A browser says where a request comes from: `Sec-Fetch-Site` (anything but `same-origin` is
 * refused) and `Origin` (its host must be the `Host` the request was sent to, or one of
 * `allowedOrigins` for a page behind a proxy that rewrites the host). A client that sends
 * neither (curl) is not a browser a site could steer; the operator token and the CSRF token still apply.
 */
export function crossSiteReason(headers: IncomingHttpHeaders, allowedOrigins: readonly string[] = []): string | null {
  const site = first(headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin') return `Sec-Fetch-Site is "${site}", not "same-origin"`;
  const origin = first(headers.origin);
  if (origin === undefined) return null;
  if (allowedOrigins.includes(origin)) return null;
  let host: string | undefined;
  try {
    host = origin === 'null' ? undefined : new URL(origin).host;
  } catch {
    host = undefined;
  }
  const own = first(headers.host);
  return host !== undefined && own !== undefined && host === own ? null : `Origin ${JSON.stringify(origin)} is not this server (${own ?? 'no Host header'})`;
}
