import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256 } from './sha256.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('sha256', () => {
  it('gives the FIPS 180-4 digests of "abc", the empty message and the two-block message', () => {
    expect(hex(sha256(bytes('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(bytes('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(bytes('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto on every length from 0 to 300 bytes (each padding case) and on random messages', () => {
    for (let length = 0; length <= 300; length++) {
      const message = randomBytes(length);
      expect(hex(sha256(message)), `${length} bytes`).toBe(createHash('sha256').update(message).digest('hex'));
    }
    for (let i = 0; i < 200; i++) {
      const message = randomBytes(Math.floor(Math.random() * 5000));
      expect(hex(sha256(message))).toBe(createHash('sha256').update(message).digest('hex'));
    }
  });
});

describe('hmacSha256', () => {
  it('gives RFC 4231 test cases 1, 2 and 6 (a key longer than a block is hashed first)', () => {
    expect(hex(hmacSha256(new Uint8Array(20).fill(0x0b))(bytes('Hi There')))).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expect(hex(hmacSha256(bytes('Jefe'))(bytes('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(hex(hmacSha256(new Uint8Array(131).fill(0xaa))(bytes('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('agrees with node:crypto for random keys (0 to 200 bytes) and messages, one signer reused across messages', () => {
    for (let i = 0; i < 200; i++) {
      const key = randomBytes(Math.floor(Math.random() * 201));
      const sign = hmacSha256(key);
      for (let j = 0; j < 5; j++) {
        const message = randomBytes(Math.floor(Math.random() * 700));
        expect(hex(sign(message))).toBe(createHmac('sha256', key).update(message).digest('hex'));
      }
    }
  });
});
