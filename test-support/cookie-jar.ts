// Shared by the Express and Next.js tests.
/** The `Set-Cookie` lines of a response, by cookie name (the whole line as the value). */
export function setCookies(response: Response): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) found.set(line.slice(0, line.indexOf('=')), line);
  return found;
}

/** The value a `Set-Cookie` line sets, e.g. `list` for `exp_x=list; Path=/`. */
export const cookieValue = (line: string | undefined): string | undefined =>
  line === undefined ? undefined : line.slice(line.indexOf('=') + 1).split(';')[0];

/** A minimal browser cookie store: remembers what responses set, sends it back. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Takes the cookies a response sets. */
  take(response: Response): this {
    for (const [name, line] of setCookies(response)) this.#cookies.set(name, cookieValue(line)!);
    return this;
  }

  delete(name: string): this {
    this.#cookies.delete(name);
    return this;
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** The `Cookie` request header. */
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
