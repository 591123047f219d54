/**
 * `count` random user ids, each with non-ASCII characters of 2, 3 and 4 UTF-8 bytes (Latin,
 * CJK, emoji) among ASCII ones, none starting or ending with white space (a header's value is
 * trimmed) and no lone surrogate (UTF-8 cannot carry one). Seeded, so a failure repeats.
 */
export function nonAsciiIds(count: number, seed = 21): string[] {
  let state = seed >>> 0;
  // mulberry32: small, and good enough to spread ids over the buckets.
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const between = (from: number, to: number): number => from + Math.floor(random() * (to - from + 1));
  // [from, to] code point ranges: ASCII letters and digits, Latin-1 and Latin Extended, CJK, Hangul, emoji.
  const ranges: [number, number][] = [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
    [0xa1, 0x24f],
    [0x4e00, 0x9fff],
    [0xac00, 0xd7a3],
    [0x1f300, 0x1faff],
  ];
  const ids = new Set<string>();
  while (ids.size < count) {
    let id = '';
    const length = between(1, 12);
    for (let i = 0; i < length; i++) {
      const [from, to] = ranges[between(0, ranges.length - 1)]!;
      id += String.fromCodePoint(between(from, to));
    }
    // At least one non-ASCII character, wherever it falls; a space or '-' inside sometimes.
    id = `${id}${random() < 0.3 ? ' ' : '-'}${String.fromCodePoint(between(0xa1, 0x9fff))}`;
    ids.add(id);
  }
  return [...ids];
}

/** A string as Node's `http` and fetch's `Headers` give a header received as its UTF-8 bytes: one character per byte. */
export const asHeaderBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
