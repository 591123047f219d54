// crypto.randomUUID as runtimes expose it (Node 19+, Deno, Bun, edge runtimes, browsers in secure
// contexts); core's lib has no DOM or Node types.
interface CryptoHost {
  readonly crypto?: { randomUUID?(): string };
}
// Looked up on each call, so a runtime that installs crypto late (or a test stub) is used.
const host = globalThis as unknown as CryptoHost;

/**
 * A new random UUID (version 4, RFC 9562) for an event (an exposure's `eventId`, a metric event's
 * `messageId`): 122 random bits, so two events never share one; make it once per event, so a
 * retry re-sends the same one. From `crypto.randomUUID` where the runtime has it (about 130 ns in
 * Node 20); else (Node 18, a page served over plain http) from `Math.random`, whose 122 bits are
 * as unique if not as unpredictable, which an id does not need. Never throws: a crypto that throws
 * (a stub, a sandbox) is no reason to fail an event.
 *
 * @example
 * ```ts
 * const event = { type: 'track', event: 'purchase', userId: 'user-42', messageId: newEventId() };
 * ```
 */
export function newEventId(): string {
  try {
    const id = host.crypto?.randomUUID?.();
    if (typeof id === 'string') return id;
  } catch {
    // Built below instead.
  }
  // x: 4 random bits; y: the variant, binary 10 then 2 random bits; the 4 is the version.
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => (c === 'x' ? (Math.random() * 16) | 0 : 8 | (Math.random() * 4)).toString(16));
}
