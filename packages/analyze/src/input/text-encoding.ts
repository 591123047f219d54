import { InputError } from './input-error.js';

/** Bytes wanted at the start of the input to tell its encoding (at least the longest byte order mark). */
export const ENCODING_HEAD_BYTES = 64;

/** Byte order marks, longest first (UTF-32LE's begins with UTF-16LE's). */
const BYTE_ORDER_MARKS: readonly { readonly bytes: readonly number[]; readonly encoding: string }[] = [
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32LE' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32BE' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'UTF-8' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16LE' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16BE' },
];

const startsWith = (head: Uint8Array, bytes: readonly number[]): boolean => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);

/**
 * UTF-16LE or UTF-16BE when the head looks like it without a byte order mark: no UTF-8 JSON line
 * holds a NUL byte, and ASCII text in UTF-16 has one beside every character. Judged on whole
 * code units: a NUL in every (LE: odd, BE: even) byte of at least three in four of them, and
 * none in the other byte.
 */
function utf16WithoutMark(head: Uint8Array): string | undefined {
  const units = head.length >> 1;
  if (units < 2) return undefined;
  let nulHigh = 0; // the byte at 2k + 1
  let nulLow = 0; // the byte at 2k
  for (let k = 0; k < units; k++) {
    if (head[2 * k] === 0) nulLow++;
    if (head[2 * k + 1] === 0) nulHigh++;
  }
  if (nulLow === 0 && nulHigh * 4 >= units * 3) return 'UTF-16LE';
  if (nulHigh === 0 && nulLow * 4 >= units * 3) return 'UTF-16BE';
  return undefined;
}

/**
 * How many bytes at the start of the input to skip: 3 for a UTF-8 byte order mark (Windows tools
 * write one; read as text it would make line 1 "not JSON"), else 0. Input in UTF-16 or UTF-32,
 * with a byte order mark or (UTF-16) recognised by its NUL bytes, is an {@link InputError} that
 * names the encoding and the `iconv` command that converts it: read as UTF-8 every line would be
 * bad. `head` is the first {@link ENCODING_HEAD_BYTES} bytes, or all of a shorter input.
 *
 * @example
 * ```ts
 * checkTextEncoding(Buffer.from('\uFEFF{"event":"x"}')); // 3
 * checkTextEncoding(Buffer.from('{"event":"x"}', 'utf16le')); // throws: the input is UTF-16LE text...
 * ```
 */
export function checkTextEncoding(head: Uint8Array): number {
  const mark = BYTE_ORDER_MARKS.find(({ bytes }) => startsWith(head, bytes));
  if (mark?.encoding === 'UTF-8') return mark.bytes.length;
  const encoding = mark?.encoding ?? utf16WithoutMark(head);
  if (encoding === undefined) return 0;
  const how = mark === undefined ? 'NUL bytes between its characters, no byte order mark' : `byte order mark ${mark.bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')}`;
  throw new InputError(`the input is ${encoding} text (${how}), not UTF-8: convert it first, e.g. iconv -f ${encoding} -t UTF-8 export.jsonl > export-utf8.jsonl`);
}
