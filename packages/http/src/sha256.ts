// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), synchronous and with no Node built-in: Web
// Crypto's `subtle` is edge-safe but only async, and the Next proxy and `fromHeaders` answer
// synchronously. Checked against node:crypto in sha256.test.ts.

// Pure: a bundle that never hashes drops the table.
const K = /* @__PURE__ */ Uint32Array.from(
  '428a2f98 71374491 b5c0fbcf e9b5dba5 3956c25b 59f111f1 923f82a4 ab1c5ed5 d807aa98 12835b01 243185be 550c7dc3 72be5d74 80deb1fe 9bdc06a7 c19bf174 e49b69c1 efbe4786 0fc19dc6 240ca1cc 2de92c6f 4a7484aa 5cb0a9dc 76f988da 983e5152 a831c66d b00327c8 bf597fc7 c6e00bf3 d5a79147 06ca6351 14292967 27b70a85 2e1b2138 4d2c6dfc 53380d13 650a7354 766a0abb 81c2c92e 92722c85 a2bfe8a1 a81a664b c24b8b70 c76c51a3 d192e819 d6990624 f40e3585 106aa070 19a4c116 1e376c08 2748774c 34b0bcb5 391c0cb3 4ed8aa4a 5b9cca4f 682e6ff3 748f82ee 78a5636f 84c87814 8cc70208 90befffa a4506ceb bef9a3f7 c67178f2'.split(' '),
  (word) => parseInt(word, 16),
);
const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** Runs the compression function over the 64-byte block of `bytes` at `at`, updating `state`; `w` is scratch. */
function compress(state: Uint32Array, bytes: Uint8Array, at: number, w: Uint32Array): void {
  for (let i = 0; i < 16; i++, at += 4) w[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    w[i] = w[i - 16]! + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[i - 7]! + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10));
  }
  // v holds a..h; each round shifts them down one place and makes a new a and e.
  const v = Array.from(state);
  for (let i = 0; i < 64; i++) {
    const [a, b, c, d, e, f, g, h] = v as [number, number, number, number, number, number, number, number];
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    v.pop();
    v.unshift((t1 + t2) | 0);
    v[4] = (d + t1) | 0;
  }
  for (let i = 0; i < 8; i++) state[i]! += v[i]!;
}

/**
 * Hashes `message` from `start` (a state after `before` bytes, a multiple of 64, were hashed):
 * the digest of those bytes followed by `message`.
 */
function finish(start: ArrayLike<number>, before: number, message: Uint8Array): Uint8Array {
  const state = Uint32Array.from(start);
  const w = new Uint32Array(64);
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
export const sha256 = (message: Uint8Array): Uint8Array => finish(INITIAL, 0, message);

/** The state after one block: the key's inner or outer pad. */
function afterBlock(block: Uint8Array): Uint32Array {
  const state = Uint32Array.from(INITIAL);
  compress(state, block, 0, new Uint32Array(64));
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
