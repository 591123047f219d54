"""§1 XXH32, written out so that the reference needs nothing outside the standard library."""

from __future__ import annotations

import struct

MASK32 = 0xFFFFFFFF
PRIME1 = 0x9E3779B1
PRIME2 = 0x85EBCA77
PRIME3 = 0xC2B2AE3D
PRIME4 = 0x27D4EB2F
PRIME5 = 0x165667B1


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & MASK32


def _stripe_round(acc: int, lane: int) -> int:
    return (_rotl((acc + lane * PRIME2) & MASK32, 13) * PRIME1) & MASK32


def xxh32(data: bytes, seed: int = 0) -> int:
    """XXH32 of `data` with a seed taken modulo 2^32."""
    seed &= MASK32
    length = len(data)
    i = 0
    if length >= 16:
        v1 = (seed + PRIME1 + PRIME2) & MASK32
        v2 = (seed + PRIME2) & MASK32
        v3 = seed
        v4 = (seed - PRIME1) & MASK32
        while i + 16 <= length:
            a, b, c, d = struct.unpack_from('<4I', data, i)
            v1 = _stripe_round(v1, a)
            v2 = _stripe_round(v2, b)
            v3 = _stripe_round(v3, c)
            v4 = _stripe_round(v4, d)
            i += 16
        h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & MASK32
    else:
        h = (seed + PRIME5) & MASK32
    h = (h + length) & MASK32
    while i + 4 <= length:
        (lane,) = struct.unpack_from('<I', data, i)
        h = (_rotl((h + lane * PRIME3) & MASK32, 17) * PRIME4) & MASK32
        i += 4
    while i < length:
        h = (_rotl((h + data[i] * PRIME5) & MASK32, 11) * PRIME1) & MASK32
        i += 1
    h ^= h >> 15
    h = (h * PRIME2) & MASK32
    h ^= h >> 13
    h = (h * PRIME3) & MASK32
    h ^= h >> 16
    return h
