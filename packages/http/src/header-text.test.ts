import { describe, expect, it } from 'vitest';
import { asHeaderBytes as asReceived } from '../../../test-support/non-ascii-ids.js';
import { headerText } from './header-text.js';

describe('headerText', () => {
  it('decodes the UTF-8 bytes of 2-, 3- and 4-byte characters', () => {
    for (const text of ['zoë', 'José Ñúñez', '用户-42', 'ユーザー', '👩🏽‍💻 dev', 'Ä\u00a0ß']) expect(headerText(asReceived(text))).toBe(text);
  });

  it('keeps a leading byte-order mark (it is part of the value)', () => {
    expect(headerText(asReceived('\ufeffuser'))).toBe('\ufeffuser');
  });

  it('returns ASCII, and text already decoded (a character above U+00FF), as they are', () => {
    expect(headerText('user-1')).toBe('user-1');
    expect(headerText('')).toBe('');
    expect(headerText('用户')).toBe('用户');
  });

  it('gives undefined for a missing header', () => {
    expect(headerText(null)).toBeUndefined();
    expect(headerText(undefined)).toBeUndefined();
  });

  it('refuses bytes that are not UTF-8 (a Latin-1 client, a truncated sequence, an overlong form), naming the header and the value', () => {
    for (const received of ['zo\u00eb', 'user-\u00c3', '\u00c0\u00af', '\u00ed\u00a0\u0080']) {
      expect(() => headerText(received, 'X-User-Id')).toThrow(
        new TypeError(`X-User-Id must be UTF-8 text, got ${JSON.stringify(received)} (its bytes read one character each: not valid UTF-8)`),
      );
    }
  });
});
