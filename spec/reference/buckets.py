"""§4 Buckets of a hash, percentages as bucket counts, and seeds."""

from __future__ import annotations

import math
from typing import Any

from .config_error import ConfigError
from .json_values import is_number
from .text import utf8
from .xxh32 import xxh32

BUCKETS = 1_000_000
PURPOSE = {'traffic': 1, 'rollout': 2, 'variant': 3, 'layer': 4, 'holdout': 5}


def bucket_of(hash32: int) -> int:
    return hash32 * BUCKETS // 2**32


def seed_for(salt: str, purpose: str) -> int:
    return xxh32(utf8(salt), PURPOSE[purpose])


def js_round(x: float) -> int:
    """Nearest integer, halves toward +infinity (not Python's round-half-to-even)."""
    floor = math.floor(x)
    return floor + 1 if x - floor >= 0.5 else floor


def percent_to_buckets(field: str, value: Any) -> int:
    if not is_number(value) or not math.isfinite(value) or value < 0 or value > 100:
        raise ConfigError(field, value, 'must be a number from 0 to 100')
    scaled = float(value) * 10000.0
    buckets = js_round(scaled)
    if abs(buckets - scaled) > 1e-6:  # exactly 1e-6 is still on the grid (§4.2: "exceeds")
        raise ConfigError(field, value, 'must have at most 4 decimals')
    return buckets
