import { describe, expect, it } from 'vitest';
import { hasCookieValue, readCookie } from './cookies.js';

// Every UTF-16 code unit, around a cookie's name and its value: the reader trims exactly what
// String.prototype.trim trims (\t \n \v \f \r, space, NBSP, the Unicode spaces, line and
// paragraph separators, BOM) and nothing else.
const codeUnits = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)).filter((c) => c !== ';' && c !== '=' && c !== '"');
const trimmedByJs = (c: string): boolean => `${c}a${c}`.trim() === 'a';

describe('cookie white space', () => {
  it('the set trim removes is the one this test expects (sanity check of the reference)', () => {
    const trimmed = codeUnits.filter(trimmedByJs).map((c) => c.charCodeAt(0));
    expect(trimmed.slice(0, 6)).toEqual([9, 10, 11, 12, 13, 32]);
    expect(trimmed).toContain(0xa0);
    expect(trimmed).toContain(0xfeff);
    expect(trimmed).not.toContain(0x7f);
    expect(trimmed).not.toContain(0x85);
  });

  it('reads a name and a value wrapped in any code unit exactly when trim would remove it', () => {
    const wrong: string[] = [];
    for (const c of codeUnits) {
      const header = `a=1;${c}exp${c}=${c}list${c}; b=2`;
      const expected = trimmedByJs(c) ? 'list' : undefined;
      const read = readCookie(header, 'exp');
      // Not white space: the name does not match, so nothing is read.
      if (read !== expected) wrong.push(`U+${c.charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(read)}`);
      if (hasCookieValue(header, 'exp', 'list') !== (expected === 'list')) wrong.push(`U+${c.charCodeAt(0).toString(16)} (hasCookieValue)`);
    }
    expect(wrong).toEqual([]);
  });

  it('trims a value only, for any code unit around it', () => {
    const wrong: string[] = [];
    for (const c of codeUnits) {
      const header = `exp=${c}list${c}`;
      const expected = trimmedByJs(c) ? 'list' : `${c}list${c}`;
      if (readCookie(header, 'exp') !== expected) wrong.push(`U+${c.charCodeAt(0).toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('reads an all-white-space value as empty, and a value at the very end of the header', () => {
    expect(readCookie('exp=\r\n\t ; b=2', 'exp')).toBe('');
    expect(readCookie('exp=\r', 'exp')).toBe('');
    expect(readCookie('b=2; exp=list\r', 'exp')).toBe('list');
    expect(readCookie('\rexp=list', 'exp')).toBe('list');
    expect(readCookie('exp\r=list', 'exp')).toBe('list');
    expect(readCookie('exp', 'exp')).toBeUndefined();
    expect(readCookie('exp ', 'exp')).toBeUndefined();
  });
});
