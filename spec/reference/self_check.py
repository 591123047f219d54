"""The reference's own checks, for the parts nothing else in the standard library can confirm:
XXH32 against its published check values (and the `xxhash` module when installed), and the
§3.4 number text against Python's repr."""

from __future__ import annotations

import math
import random
import struct
from decimal import Decimal

from .number_text import shortest_digits
from .xxh32 import xxh32


def self_check() -> None:
    # Published XXH32 sanity values.
    assert xxh32(b'') == 0x02CC5D05
    assert xxh32(b'', 0x9E3779B1) == 0x36B78AE7
    assert xxh32(b'a') == 0x550D7456
    assert xxh32(b'abc') == 0x32D153FF
    # §3.4: the shortest digits agree with Python's repr (also nearest, ties to even) on random
    # doubles and on doubles halfway between two shortest strings (x = odd × 2^-j-1, x ~ 2^50).
    rng = random.Random(34)
    doubles = [struct.unpack('<d', struct.pack('<Q', rng.getrandbits(63)))[0] for _ in range(2000)]
    doubles += [(rng.randrange(2**52, 2**53) | 1) * 2.0 ** -(j + 1) for j in (1, 2, 3) for _ in range(300)]
    for x in doubles:
        if math.isfinite(x) and x > 0:
            digits, n = shortest_digits(x)
            expected = Decimal(repr(x)).normalize().as_tuple()
            assert (digits, n) == (''.join(map(str, expected.digits)), expected.exponent + len(expected.digits)), x
    try:
        import xxhash  # Debian: python3-xxhash
    except ImportError:
        print('spec/reference: XXH32 sanity values and number texts pass (xxhash module not installed, skipped its cross-check)')
        return
    rng = random.Random(20261121)
    for n in range(3000):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(80)))
        seed = rng.randrange(2**32)
        assert xxh32(data, seed) == xxhash.xxh32_intdigest(data, seed), (data, seed)
    print('spec/reference: XXH32 sanity values and number texts pass; 3000 random inputs agree with the xxhash module')
