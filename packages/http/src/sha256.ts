// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), synchronous and with no Node built-in: Web
// Crypto's `subtle` is edge-safe but only async, and the Next proxy and `fromHeaders` answer
// synchronously. Checked against node:crypto in sha256.test.ts.

/**
 * The round constants and the initial state (FIPS 180-4 §4.2.2, §5.3.3): the first 32 bits of the
 * fractional parts of the cube roots of the first 64 primes, and of the square roots of the first
 * 8. Computed rather than listed: 576 hex digits cost a proxy bundle ~300 B gzipped. (Doubles
 * carry ~49 fractional bits here, more than the 32 needed; sha256.test.ts checks every digest.)
 */
function constants(): { readonly k: Int32Array; readonly initial: number[] } {
  const k: number[] = [];
  const initial: number[] = [];
  const fraction = (x: number): number => ((x - Math.floor(x)) * 0x100000000) | 0;
  for (let n = 2; k.length < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (!prime) continue;
    if (initial.length < 8) initial.push(fraction(Math.sqrt(n)));
    k.push(fraction(Math.cbrt(n)));
  }
  return { k: Int32Array.from(k), initial };
}

// Pure: a bundle that never hashes drops it.
const TABLES = /* @__PURE__ */ constants();

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** Runs the compression function over the 64-byte block of `bytes` at `at`, updating `state`; `w` is scratch. */
function compress(state: Uint32Array, bytes: Uint8Array, at: number, w: Int32Array): void {
  const k = TABLES.k;
  for (let i = 0; i < 16; i++, at += 4) w[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    w[i] = (w[i - 16]! + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[i - 7]! + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10))) | 0;
  }
  // Eight locals, not an array: this loop is most of the time a signature takes.
  let a = state[0]! | 0;
  let b = state[1]! | 0;
  let c = state[2]! | 0;
  let d = state[3]! | 0;
  let e = state[4]! | 0;
  let f = state[5]! | 0;
  let g = state[6]! | 0;
  let h = state[7]! | 0;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i]! + w[i]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0]! += a;
  state[1]! += b;
  state[2]! += c;
  state[3]! += d;
  state[4]! += e;
  state[5]! += f;
  state[6]! += g;
  state[7]! += h;
}

/**
 * Hashes `message` from `start` (a state after `before` bytes, a multiple of 64, were hashed):
 * the digest of those bytes followed by `message`.
 */
function finish(start: ArrayLike<number>, before: number, message: Uint8Array): Uint8Array {
  const state = Uint32Array.from(start);
  const w = new Int32Array(64);
  // The message, 0x80, zeros, and the length in bits as 64 bits: a whole number of blocks.
  const padded = new Uint8Array((message.length + 72) & ~63);
  padded.set(message);
  padded[message.length] = 0x80;
  const bits = (before + message.length) * 8;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(padded.length - 4, bits >>> 0);
  for (let at = 0; at < padded.length; at += 64) compress(state, padded, at, w);
  const digest = new Uint8Array(32);
  const out = new DataView(digest.buffer);
  for (let i = 0; i < 8; i++) out.setUint32(i * 4, state[i]!);
  return digest;
}

/** The SHA-256 digest of `message`. @internal */
export const sha256 = (message: Uint8Array): Uint8Array => finish(TABLES.initial, 0, message);

/** The state after one block: the key's inner or outer pad. */
function afterBlock(block: Uint8Array): Uint32Array {
  const state = Uint32Array.from(TABLES.initial);
  compress(state, block, 0, new Int32Array(64));
  return state;
}

/**
 * HMAC-SHA-256 (RFC 2104) with `key`: returns the function that signs a message, synchronously and
 * with no Node built-in (Web Crypto's `subtle.sign` is edge-safe but only async). The key's two
 * padded blocks are hashed once, here, so that each message costs only its own blocks and two
 * more. For adapters signing what they forward (`@bucketry/next` signs its assignments header).
 *
 * @example
 * ```ts
 * const sign = hmacSha256(new TextEncoder().encode(process.env.BUCKETRY_SECRET!));
 * const signature = sign(new TextEncoder().encode(value)); // 32 bytes
 * ```
 */
export function hmacSha256(key: Uint8Array): (message: Uint8Array) => Uint8Array {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  const inner = afterBlock(block.map((byte) => byte ^ 0x36));
  const outer = afterBlock(block.map((byte) => byte ^ 0x5c));
  return (message) => finish(outer, 64, finish(inner, 64, message));
}
