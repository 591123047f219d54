"""The sections of vectors.json that test one building block each, before any assignment:
hashes (§1, §2), buckets (§4.1), seeds (§4.3), percents (§4.2) and units (§3)."""

from __future__ import annotations

from typing import Any

import reference as ref

from .samples import UTF8_BOUNDARIES


def hash_inputs() -> list[str]:
    alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP'
    inputs = [alphabet[:n] for n in range(0, 41)]  # every tail length, one to two stripes
    inputs += ['user-42', 'skill_tree_layout', 'José', '用户-42', '🎉', 'a\ud83db', '\ud800', 'ü' * 17, '😀' * 5]
    inputs += UTF8_BOUNDARIES + ['a' + c + 'b' for c in UTF8_BOUNDARIES] + [''.join(UTF8_BOUNDARIES) * 2]
    return inputs

def hash_vectors() -> list[dict[str, Any]]:
    seeds = [0, 1, 2, 3, 4, 5, 0x9E3779B1, 0xFFFFFFFF]
    out = []
    for i, s in enumerate(hash_inputs()):
        for seed in (seeds if i % 5 == 0 else seeds[i % len(seeds):][:2]):
            out.append({'input': s, 'seed': seed, 'hash': ref.xxh32(ref.utf8(s), seed)})
    return out


def bucket_vectors() -> list[dict[str, Any]]:
    hashes = {0, 1, 4294, 4295, 4296, 8589, 8590, 2**31 - 1, 2**31, 2**32 - 4296, 2**32 - 4295, 2**32 - 1}
    for b in (1, 2, 100, 499_999, 500_000, 999_999):
        first = -(-b * 2**32 // 1_000_000)  # the smallest hash in bucket b
        hashes |= {first - 1, first}
    return [{'hash': h, 'bucket': ref.bucket_of(h)} for h in sorted(hashes)]


def seed_vectors() -> list[dict[str, Any]]:
    salts = ['skill_tree_layout', 'checkout_flow', 'global-2026', 'home', 'q3-cohort', 'sél-🎉', 'a\ud800']
    return [{'salt': s, 'purpose': p, 'seed': ref.seed_for(s, p)} for s in salts for p in ref.PURPOSE]


def percent_vectors() -> list[dict[str, Any]]:
    values = [0, 0.0001, 0.01, 0.1, 1, 10, 12.5, 33.3333, 50, 66.6667, 99.99, 99.9999, 100, 0.0003, 57.0001,
              # Off the grid by at most 10^-6 of a bucket: 1e-10 × 10,000 is exactly the double 1e-6.
              1e-11, 1e-10, 50.00000000001]
    assert 1e-10 * 10000.0 == 1e-6
    return [{'percent': p, 'buckets': ref.percent_to_buckets('percent', p)} for p in values]


def unit_vectors() -> list[dict[str, Any]]:
    units: list[Any] = ['user-42', 'José', '🎉', 'a\ud800', '', None, {}, {'userId': ''},
                        {'tenantId': 'acme', 'userId': '42'}, {'userId': 42, 'tenantId': 'acme'}, {'seat': 1e21},
                        {'seat': -0.0}, {'\uffff': 'x', '😀': 'y'}, {'9': 'b', '10': 'a'}, {'': 'x'},
                        {'na"me': 'line\nbreak\t\\', 'ctl': '\u0001\u001f'}, {'tenantId': 'société', 'userId': 'a\ud800'},
                        ['a'], [], [{'userId': '1'}], {'seat': 640601807090632.25}, {'seat': 640601807090632.75},
                        {'c': '\u0800\ue000\uffff'}]
    out = []
    for unit in units:
        prepared = ref.prepare_unit(unit)
        out.append({'unit': unit, 'key': prepared and prepared[0], 'bytesHex': prepared and prepared[1].hex()})
    return out

