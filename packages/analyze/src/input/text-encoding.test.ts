import { describe, expect, it } from 'vitest';
import { InputError } from './input-error.js';
import { checkTextEncoding } from './text-encoding.js';

const LINE = '{"event":"experiment_exposure","userId":"u1"}\n';
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
function utf32le(text: string): Buffer {
  const bytes = Buffer.alloc(text.length * 4);
  for (let i = 0; i < text.length; i++) bytes.writeUInt32LE(text.charCodeAt(i), i * 4);
  return bytes;
}

describe('checkTextEncoding', () => {
  it('reads UTF-8 as it is, and skips its byte order mark', () => {
    expect(checkTextEncoding(Buffer.from(LINE))).toBe(0);
    expect(checkTextEncoding(Buffer.from('{"userId":"żółw"}'))).toBe(0);
    expect(checkTextEncoding(Buffer.from('\uFEFF' + LINE))).toBe(3);
    expect(checkTextEncoding(Buffer.alloc(0))).toBe(0);
  });

  it.each([
    ['UTF-16LE', 'byte order mark FF FE', Buffer.from('\uFEFF' + LINE, 'utf16le')],
    ['UTF-16BE', 'byte order mark FE FF', utf16be('\uFEFF' + LINE)],
    ['UTF-16LE', 'NUL bytes between its characters, no byte order mark', Buffer.from(LINE, 'utf16le')],
    ['UTF-16BE', 'NUL bytes between its characters, no byte order mark', utf16be(LINE)],
    ['UTF-16LE', 'NUL bytes between its characters, no byte order mark', Buffer.from('{}', 'utf16le')],
    ['UTF-32LE', 'byte order mark FF FE 00 00', utf32le('\uFEFF' + LINE)],
  ])('names %s (%s) and the iconv command that converts it', (encoding, how, head) => {
    expect(() => checkTextEncoding(head.subarray(0, 64))).toThrow(
      new InputError(`the input is ${encoding} text (${how}), not UTF-8: convert it first, e.g. iconv -f ${encoding} -t UTF-8 export.jsonl > export-utf8.jsonl`),
    );
  });

  it('leaves a line with a stray NUL byte to be reported as a bad line', () => {
    expect(checkTextEncoding(Buffer.from('{"a":"\0"}\n{"b":1}\n'))).toBe(0);
    // UTF-16 text of mostly non-ASCII characters has no NUL in most code units: read as UTF-8, every line is bad, and said so.
    expect(checkTextEncoding(Buffer.from('{"u":"żółwżółwżółw"}', 'utf16le'))).toBe(0);
  });
});
