"""Pinning a unit exactly on a bound: the bucket a unit falls in for a seed, and the percent that
names a bucket count exactly, so a threshold can be set at a unit's bucket or one above it."""

from __future__ import annotations

from typing import Any

import reference as ref

# The units whose buckets the exact-boundary cases pin (a slice of them for most thresholds).
BOUNDARY_UNITS = [f'user-{i}' for i in range(8)] + ['José', {'tenantId': 'acme', 'userId': '7'}]


def percent(buckets: int) -> float | int:
    """A bucket count as the percent that names it exactly (4 decimals at most)."""
    value = buckets / 10000
    assert ref.percent_to_buckets('percent', value) == buckets
    return int(value) if value == int(value) else value


def bucket_for(seed: int, unit: Any) -> int:
    _, encoded = ref.prepare_unit(unit)
    return ref.bucket_of(ref.xxh32(encoded, seed))
