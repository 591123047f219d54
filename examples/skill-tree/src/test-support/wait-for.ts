/**
 * Waits until `condition` holds, checking every 50 ms, and fails naming `what` (and the last
 * value seen) after `timeoutMs`. Tests wait for what they need, never for a fixed time, with
 * deadlines generous enough for a loaded machine.
 */
export async function waitFor<T>(what: string, read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${lastError === undefined ? JSON.stringify(last) : String(lastError)}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}
