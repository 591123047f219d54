"""§2 Text: strings are sequences of UTF-16 code units.

Python strings hold code points, so a string with lone or split surrogates has more than one
Python spelling; these functions read every string as its UTF-16 code units, as §2 does.
"""

from __future__ import annotations

import struct


def utf16_units(s: str) -> list[int]:
    """The UTF-16 code units of a Python string (which may hold lone or split surrogates)."""
    raw = s.encode('utf-16-le', 'surrogatepass')
    return list(struct.unpack(f'<{len(raw) // 2}H', raw))


def code_points(units: list[int]) -> list[tuple[int, bool]]:
    """Decodes UTF-16 code units into (code point, is_lone_surrogate) pairs."""
    out: list[tuple[int, bool]] = []
    i = 0
    while i < len(units):
        u = units[i]
        if 0xD800 <= u <= 0xDBFF and i + 1 < len(units) and 0xDC00 <= units[i + 1] <= 0xDFFF:
            out.append((0x10000 + ((u - 0xD800) << 10) + (units[i + 1] - 0xDC00), False))
            i += 2
        else:
            out.append((u, 0xD800 <= u <= 0xDFFF))
            i += 1
    return out


def utf8(s: str) -> bytes:
    """UTF-8 bytes of a string; every lone surrogate becomes U+FFFD (EF BF BD)."""
    return ''.join('\ufffd' if lone else chr(cp) for cp, lone in code_points(utf16_units(s))).encode('utf-8')


def normalize(s: str) -> str:
    """One Python spelling per UTF-16 string: surrogate pairs joined, lone surrogates kept."""
    return s.encode('utf-16-le', 'surrogatepass').decode('utf-16-le', 'surrogatepass')


def utf16_order(s: str) -> bytes:
    """A sort key that orders strings by UTF-16 code units (big-endian bytes compare alike)."""
    return s.encode('utf-16-be', 'surrogatepass')


_JSON_ESCAPES = {0x08: '\\b', 0x09: '\\t', 0x0A: '\\n', 0x0C: '\\f', 0x0D: '\\r', 0x22: '\\"', 0x5C: '\\\\'}


def js_json_string(s: str) -> str:
    """A string as a JSON string literal, escaped exactly as §3.3 says."""
    out = ['"']
    for cp, lone in code_points(utf16_units(s)):
        if cp in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[cp])
        elif cp < 0x20 or lone:
            out.append(f'\\u{cp:04x}')
        else:
            out.append(chr(cp))
    out.append('"')
    return ''.join(out)
