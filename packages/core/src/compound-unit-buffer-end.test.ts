import { describe, expect, it, vi } from 'vitest';

// A compound unit is encoded into utf8.ts's scratch buffer, which grows to exactly the size asked
// for when that is more than twice its length. Its closing 0xFF (putByte) then lands one past the
// end of the buffer: putByte must grow it, or the byte is dropped and the unit hashes as other
// bytes. A fresh module starts with the 256-byte buffer, so the sizes below are known.
const encode = (text: string): number[] => [...new TextEncoder().encode(text)];

describe('a compound unit whose value ends exactly at the end of the scratch buffer', () => {
  it('keeps its closing 0xFF byte', async () => {
    vi.resetModules();
    const { prepareUnit } = (await import('./unit.js')) as typeof import('./unit.js');
    // 0xFF, "a", 0xFE: 3 bytes; then 200 three-byte characters: the buffer grows to 3 + 600 = 603
    // (more than 2 x 256), and the value's last byte is its last.
    const value = '漢'.repeat(200);
    const bytes = prepareUnit({ a: value })?.bytes;
    expect(Array.from(bytes ?? [])).toEqual([0xff, ...encode('a'), 0xfe, ...encode(value), 0xff]);
  });
});
