"""Bucketry assignment, implemented from docs/spec.md alone.

This is the second, independent implementation the test vectors come from: Python 3 with the
standard library only (XXH32 is written out here; `python3 spec/reference.py` checks it against
the `xxhash` module when that is installed, e.g. Debian's python3-xxhash).

Eligibility predicates given as code and sticky stores that fail are not modelled; JSON
eligibility rules, per-call overrides and a sticky store (a plain map) are. Section numbers (§)
refer to docs/spec.md.
"""

from __future__ import annotations

import math
import re
import struct
from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import Any

# ---------------------------------------------------------------------------------------------
# §1 XXH32
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# §2 Text: strings are sequences of UTF-16 code units
# ---------------------------------------------------------------------------------------------


def utf16_units(s: str) -> list[int]:
    """The UTF-16 code units of a Python string (which may hold lone or split surrogates)."""
    raw = s.encode('utf-16-le', 'surrogatepass')
    return list(struct.unpack(f'<{len(raw) // 2}H', raw))


def _code_points(units: list[int]) -> list[tuple[int, bool]]:
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
    return ''.join('\ufffd' if lone else chr(cp) for cp, lone in _code_points(utf16_units(s))).encode('utf-8')


def normalize(s: str) -> str:
    """One Python spelling per UTF-16 string: surrogate pairs joined, lone surrogates kept."""
    return s.encode('utf-16-le', 'surrogatepass').decode('utf-16-le', 'surrogatepass')


def utf16_order(s: str) -> bytes:
    """A sort key that orders strings by UTF-16 code units (big-endian bytes compare alike)."""
    return s.encode('utf-16-be', 'surrogatepass')


def js_round(x: float) -> int:
    """Nearest integer, halves toward +infinity (not Python's round-half-to-even)."""
    floor = math.floor(x)
    return floor + 1 if x - floor >= 0.5 else floor


def _shortest_digits(x: float) -> tuple[str, int]:
    """§3.4 step 2: the shortest digit string d and exponent n with 0.d × 10^n reading back as x;
    of two such strings the nearer to x, and of two equally near the one ending in an even digit."""
    with localcontext() as context:
        context.prec = 2000  # every double and every product below is exact at this precision
        exact = Decimal(x)  # the double's exact value
        n = exact.adjusted() + 1  # 0.d × 10^n: the first digit of x is the n-th before the point
        for k in range(1, 18):  # 17 digits always suffice for a double
            unit = Decimal(1).scaleb(n - k)  # one unit in the k-th digit
            low = int((exact / unit).to_integral_value(rounding=ROUND_FLOOR))
            # Only the two k-digit numbers around x can read back as x; float() rounds correctly.
            found = [(abs(s * unit - exact), s % 2, s) for s in (low, low + 1) if float(s * unit) == x]
            if found:
                s = min(found)[2]  # the nearest; of two equally near, the even one (s % 2 == 0 sorts first)
                digits = str(s)  # low + 1 may have gained a digit (99 + 1) or end in zeros
                return digits.rstrip('0'), n - k + len(digits)
    raise AssertionError(f'no shortest digits for {x!r}')


def js_number_text(value: int | float) -> str:
    """The decimal text of a number as an IEEE double, as ECMAScript Number::toString writes it (§3.4)."""
    x = float(value)
    if x == 0:
        return '0'
    if x < 0:
        return '-' + js_number_text(-x)
    digits, n = _shortest_digits(x)
    k = len(digits)
    if k <= n <= 21:
        return digits + '0' * (n - k)
    if 0 < n <= 21:
        return digits[:n] + '.' + digits[n:]
    if -6 < n <= 0:
        return '0.' + '0' * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + '.' + digits[1:]
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


_JSON_ESCAPES = {0x08: '\\b', 0x09: '\\t', 0x0A: '\\n', 0x0C: '\\f', 0x0D: '\\r', 0x22: '\\"', 0x5C: '\\\\'}


def js_json_string(s: str) -> str:
    """A string as a JSON string literal, escaped exactly as §3.3 says."""
    out = ['"']
    for cp, lone in _code_points(utf16_units(s)):
        if cp in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[cp])
        elif cp < 0x20 or lone:
            out.append(f'\\u{cp:04x}')
        else:
            out.append(chr(cp))
    out.append('"')
    return ''.join(out)


# ---------------------------------------------------------------------------------------------
# §3 Units
# ---------------------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def prepare_unit(unit: Any) -> tuple[str, bytes] | None:
    """(canonical key, bytes to hash) of a unit, or None when the unit is missing (§3.1)."""
    if isinstance(unit, str):
        return (normalize(unit), utf8(unit)) if unit else None
    # A map is a JSON object (a dict); an array (a list) is no map, so it is a missing unit.
    if not isinstance(unit, dict) or not unit:
        return None
    fields: list[tuple[str, str]] = []
    for name, value in unit.items():
        if isinstance(value, str):
            text = value
        elif _is_number(value) and math.isfinite(value):
            text = js_number_text(value)
        else:
            return None
        if not text:
            return None
        fields.append((name, text))
    fields.sort(key=lambda field: utf16_order(field[0]))
    encoded = bytearray(b'\xff')
    for name, text in fields:
        encoded += utf8(name) + b'\xfe' + utf8(text) + b'\xff'
    key = '{' + ','.join(js_json_string(name) + ':' + js_json_string(text) for name, text in fields) + '}'
    return normalize(key), bytes(encoded)


# ---------------------------------------------------------------------------------------------
# §4 Buckets and seeds
# ---------------------------------------------------------------------------------------------

BUCKETS = 1_000_000
PURPOSE = {'traffic': 1, 'rollout': 2, 'variant': 3, 'layer': 4, 'holdout': 5}


def bucket_of(hash32: int) -> int:
    return hash32 * BUCKETS // 2**32


def seed_for(salt: str, purpose: str) -> int:
    return xxh32(utf8(salt), PURPOSE[purpose])


_IDENTIFIER = re.compile(r'[A-Za-z_$][A-Za-z0-9_$]*')


def field_path(parent: str, name: str) -> str:
    """A field's path (§5.1): `parent.name` for a name like an identifier, else `parent["name"]`."""
    if _IDENTIFIER.fullmatch(name):
        return f'{parent}.{name}' if parent else name
    return f'{parent}[{js_json_string(name)}]'


class ConfigError(ValueError):
    """An invalid configuration: the field, the value and the rule it breaks."""

    def __init__(self, field: str, value: Any, rule: str):
        super().__init__(f'{field} {rule}, got {value!r}')
        self.field = field
        self.value = value
        self.rule = rule


def percent_to_buckets(field: str, value: Any) -> int:
    if not _is_number(value) or not math.isfinite(value) or value < 0 or value > 100:
        raise ConfigError(field, value, 'must be a number from 0 to 100')
    scaled = float(value) * 10000.0
    buckets = js_round(scaled)
    if abs(buckets - scaled) > 1e-6:  # exactly 1e-6 is still on the grid (§4.2: "exceeds")
        raise ConfigError(field, value, 'must have at most 4 decimals')
    return buckets


# ---------------------------------------------------------------------------------------------
# §6 Eligibility rules (JSON form)
# ---------------------------------------------------------------------------------------------

_OPERATORS = ('in', 'notIn', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'exists')


def _is_rule_value(value: Any) -> bool:
    return isinstance(value, (str, bool)) or (_is_number(value) and math.isfinite(value))


def _same(a: Any, b: Any) -> bool:
    """Strict equality of JSON values: same kind and same value; arrays and objects equal nothing."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) and isinstance(b, str):
        return normalize(a) == normalize(b)
    if _is_number(a) and _is_number(b):
        return float(a) == float(b)
    return False


def _any_item(value: Any, test) -> bool:
    """An array attribute matches when one of its items does; an item that is itself an array or
    an object matches nothing (_same), and so does an object attribute."""
    return any(test(item) for item in value) if isinstance(value, list) else test(value)


def _compile_condition(name: str, condition: Any, path: str):
    if not isinstance(condition, dict) or not condition:
        raise ConfigError(path, condition, 'must be an object with at least one operator')
    tests = []
    for op, operand in condition.items():
        at = field_path(path, op)
        if op in ('in', 'notIn'):
            if not isinstance(operand, list) or not operand:
                raise ConfigError(at, operand, 'must be a non-empty array of strings, numbers or booleans')
            for i, item in enumerate(operand):
                if not _is_rule_value(item):
                    raise ConfigError(f'{at}[{i}]', item, 'must be a string, number or boolean')
            options = list(operand)
            member = lambda attrs, name=name, options=options: _any_item(
                attrs.get(name), lambda item: any(_same(item, o) for o in options))
            tests.append(member if op == 'in' else (lambda attrs, member=member: not member(attrs)))
        elif op in ('eq', 'ne'):
            if not _is_rule_value(operand):
                raise ConfigError(at, operand, 'must be a string, number or boolean')
            equal = lambda attrs, name=name, operand=operand: _any_item(attrs.get(name), lambda item: _same(item, operand))
            tests.append(equal if op == 'eq' else (lambda attrs, equal=equal: not equal(attrs)))
        elif op in ('gt', 'gte', 'lt', 'lte'):
            if not _is_number(operand) or not math.isfinite(operand):
                raise ConfigError(at, operand, 'must be a finite number')
            compare = {
                'gt': lambda v, o=float(operand): v > o,
                'gte': lambda v, o=float(operand): v >= o,
                'lt': lambda v, o=float(operand): v < o,
                'lte': lambda v, o=float(operand): v <= o,
            }[op]
            tests.append(lambda attrs, name=name, compare=compare: _is_number(attrs.get(name)) and compare(float(attrs.get(name))))
        elif op == 'exists':
            if not isinstance(operand, bool):
                raise ConfigError(at, operand, 'must be true or false')
            tests.append(lambda attrs, name=name, operand=operand: (attrs.get(name) is not None) == operand)
        else:
            raise ConfigError(at, operand, 'is not an operator')
    return lambda attrs: all(test(attrs) for test in tests)


def compile_rule(rule: Any, path: str = 'eligibility'):
    if not isinstance(rule, dict) or not rule:
        raise ConfigError(path, rule, 'must be a non-empty object')
    for combinator in ('all', 'any', 'not'):
        if combinator not in rule:
            continue
        if len(rule) != 1:
            raise ConfigError(path, rule, f'must hold "{combinator}" alone')
        operand = rule[combinator]
        if combinator == 'not':
            inner = compile_rule(operand, f'{path}.not')
            return lambda attrs: not inner(attrs)
        if not isinstance(operand, list) or not operand:
            raise ConfigError(f'{path}.{combinator}', operand, 'must be a non-empty array of rules')
        tests = [compile_rule(item, f'{path}.{combinator}[{i}]') for i, item in enumerate(operand)]
        if combinator == 'all':
            return lambda attrs: all(t(attrs) for t in tests)
        return lambda attrs: any(t(attrs) for t in tests)
    conditions = [_compile_condition(name, condition, field_path(path, name)) for name, condition in rule.items()]
    return lambda attrs: all(c(attrs) for c in conditions)


# ---------------------------------------------------------------------------------------------
# §5 Experiments
# ---------------------------------------------------------------------------------------------

_NAME = re.compile(r'[a-z0-9][a-z0-9_.-]{0,63}')


def _check_name(field: str, value: Any) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise ConfigError(field, value, 'must be 1-64 characters of a-z, 0-9, "_", "." or "-", starting with a letter or digit')
    return value


def _check_non_empty_string(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(field, value, 'must be a non-empty string')
    return value


def header_for(key: str) -> str:
    return 'X-Experiment-' + '-'.join(part[:1].upper() + part[1:] for part in re.split(r'[_-]', key))


def cookie_for(key: str) -> str:
    return 'exp_' + key


FIELDS = ('key', 'variants', 'weights', 'rollout', 'traffic', 'salt', 'trafficSalt', 'enabled', 'overrides',
          'eligibility', 'holdout', 'layer', 'version')
HOLDOUT_FIELDS = ('key', 'percent')
LAYER_FIELDS = ('name', 'range')


def _check_fields(path: str, value: dict[str, Any], known: tuple[str, ...]) -> None:
    """Every key of a configuration object must be one of its fields (§5.1)."""
    for name in value:
        if name not in known:
            raise ConfigError(field_path(path, name), value[name], 'is not a known field')


def _left_sum(values: list[float]) -> float:
    # Plain left-to-right double addition (Python 3.12's sum() compensates, which would differ).
    total = 0.0
    for v in values:
        total += v
    return total


class Experiment:
    """A validated experiment with its thresholds and seeds (§5)."""

    def __init__(self, config: dict[str, Any]):
        if not isinstance(config, dict):
            raise ConfigError('config', config, 'must be an object')
        _check_fields('', config, FIELDS)
        self.key = _check_name('key', config.get('key'))
        variants = config.get('variants')
        if not isinstance(variants, list) or len(variants) < 2:
            raise ConfigError('variants', variants, 'must be an array of at least 2 variant names')
        for i, variant in enumerate(variants):
            _check_non_empty_string(f'variants[{i}]', variant)
            if normalize(variant) in (normalize(earlier) for earlier in variants[:i]):
                raise ConfigError(f'variants[{i}]', variant, 'must be unique')
        self.variants = [normalize(v) for v in variants]

        weights = config.get('weights', [1] * len(variants))
        if not isinstance(weights, list) or len(weights) != len(variants):
            raise ConfigError('weights', weights, f'must be an array of {len(variants)} numbers')
        for i, w in enumerate(weights):
            if not _is_number(w) or not math.isfinite(w) or w < 0:
                raise ConfigError(f'weights[{i}]', w, 'must be >= 0')
        weights = [float(w) for w in weights]
        treatment_total = _left_sum(weights[1:])
        total = _left_sum(weights)
        if not math.isfinite(total):
            raise ConfigError('weights', weights, 'must have a finite sum')
        if not total > 0:
            raise ConfigError('weights', weights, 'must not all be 0')

        if 'rollout' not in config:
            self.rollout_threshold = js_round(treatment_total / total * BUCKETS)
        else:
            self.rollout_threshold = percent_to_buckets('rollout', config['rollout'])
            if self.rollout_threshold > 0 and treatment_total == 0:  # R in buckets, as for `live`
                raise ConfigError('weights', weights, 'must give a treatment a weight above 0')
        self.traffic_threshold = percent_to_buckets('traffic', config.get('traffic', 100))
        salt = self.key if 'salt' not in config else _check_non_empty_string('salt', config['salt'])
        traffic_salt = salt if 'trafficSalt' not in config else _check_non_empty_string('trafficSalt', config['trafficSalt'])
        enabled = config.get('enabled', True)
        if not isinstance(enabled, bool):
            raise ConfigError('enabled', enabled, 'must be true or false')

        self.overrides: dict[str, str] = {}
        if 'overrides' in config:
            overrides = config['overrides']
            if not isinstance(overrides, dict):
                raise ConfigError('overrides', overrides, 'must be an object of unit -> variant')
            for unit, variant in overrides.items():
                if not isinstance(variant, str) or normalize(variant) not in self.variants:
                    raise ConfigError(f'overrides[{js_json_string(unit)}]', variant, 'must be one of the variants')
                self.overrides[normalize(unit)] = normalize(variant)

        self.eligible = compile_rule(config['eligibility']) if 'eligibility' in config else None

        self.holdout_threshold = 0
        self.holdout_seed = 0
        if 'holdout' in config:
            holdout = config['holdout']
            if not isinstance(holdout, dict):
                raise ConfigError('holdout', holdout, 'must be { key, percent }')
            _check_fields('holdout', holdout, HOLDOUT_FIELDS)
            holdout_key = _check_name('holdout.key', holdout.get('key'))
            self.holdout_threshold = percent_to_buckets('holdout.percent', holdout.get('percent'))
            self.holdout_seed = seed_for(holdout_key, 'holdout')

        self.has_layer = 'layer' in config
        self.layer_from, self.layer_to, self.layer_seed = 0, BUCKETS, 0
        if self.has_layer:
            layer = config['layer']
            if not isinstance(layer, dict):
                raise ConfigError('layer', layer, 'must be { name, range: [from, to] }')
            _check_fields('layer', layer, LAYER_FIELDS)
            layer_name = _check_name('layer.name', layer.get('name'))
            span = layer.get('range')
            if not isinstance(span, list) or len(span) != 2:
                raise ConfigError('layer.range', span, 'must be [from, to] in percent')
            self.layer_from = percent_to_buckets('layer.range[0]', span[0])
            self.layer_to = percent_to_buckets('layer.range[1]', span[1])
            if self.layer_to <= self.layer_from:  # compared in buckets, the grid assignment uses
                raise ConfigError('layer.range', span, 'must have from < to')
            self.layer_seed = seed_for(layer_name, 'layer')

        if 'version' in config:
            _check_non_empty_string('version', config['version'])

        self.live = enabled and self.rollout_threshold > 0
        self.traffic_seed = seed_for(traffic_salt, 'traffic')
        self.rollout_seed = seed_for(salt, 'rollout')
        self.variant_seed = seed_for(salt, 'variant')
        treatments = weights[1:]
        self.treatment_bounds = []
        cumulative = 0.0
        for i, w in enumerate(treatments):
            cumulative += w
            last = i == len(treatments) - 1
            self.treatment_bounds.append(BUCKETS if last else js_round(cumulative / treatment_total * BUCKETS))
        self.header = header_for(self.key)
        self.cookie = cookie_for(self.key)


def define_experiment(config: dict[str, Any]) -> Experiment:
    return Experiment(config)


# ---------------------------------------------------------------------------------------------
# §7 Assignment
# ---------------------------------------------------------------------------------------------


class StickyStore:
    """A sticky store (§8): records (canonical unit key, experiment key) → variant."""

    def __init__(self, records: list[dict[str, str]] | None = None):
        self._records: dict[tuple[str, str], str] = {}
        for record in records or []:
            self.set(record['unit'], record['experiment'], record['variant'])

    def get(self, unit: str, experiment: str) -> str | None:
        return self._records.get((normalize(unit), normalize(experiment)))

    def set(self, unit: str, experiment: str, variant: str) -> None:
        self._records[(normalize(unit), normalize(experiment))] = normalize(variant)

    def records(self) -> list[dict[str, str]]:
        """Every record, ordered by experiment, then unit (UTF-16 code unit order)."""
        ordered = sorted(self._records.items(), key=lambda item: (utf16_order(item[0][1]), utf16_order(item[0][0])))
        return [{'unit': unit, 'experiment': experiment, 'variant': variant} for (unit, experiment), variant in ordered]


def assign(experiment: Experiment, unit: Any, attributes: dict[str, Any] | None = None,
           override: str | None = None, sticky: StickyStore | None = None) -> dict[str, Any]:
    """variant, inExperiment, reason, bucket and the unit's canonical key, in the order of §7.

    `override` is a per-call override (a variant forced by the caller, such as an HTTP QA
    override); `sticky` a sticky store, read at step 6 and written after a `bucketed` outcome.
    """
    control = experiment.variants[0]

    def outcome(key: str, variant: str, in_experiment: bool, reason: str, bucket: int) -> dict[str, Any]:
        return {'variant': variant, 'inExperiment': in_experiment, 'reason': reason, 'bucket': bucket, 'unit': key}

    # 1. A missing unit.
    prepared = prepare_unit(unit)
    if prepared is None:
        return outcome('', control, False, 'missing_unit', -1)
    key, encoded = prepared

    def bucket(seed: int) -> int:
        return bucket_of(xxh32(encoded, seed))

    # 2. The kill switch, over every override and sticky record.
    if not experiment.live:
        return outcome(key, control, False, 'disabled', -1)
    # 3. Overrides: the caller's for this call, then the config's map.
    if override is not None:
        if normalize(override) not in experiment.variants:
            return outcome(key, control, False, 'error', -1)
        return outcome(key, normalize(override), False, 'override', -1)
    if key in experiment.overrides:
        return outcome(key, experiment.overrides[key], False, 'override', -1)
    # 4. Eligibility; absent or null attributes are {}.
    if experiment.eligible is not None and not experiment.eligible(attributes if attributes is not None else {}):
        return outcome(key, control, False, 'ineligible', -1)
    # 5. The holdout.
    if experiment.holdout_threshold > 0:
        b = bucket(experiment.holdout_seed)
        if b < experiment.holdout_threshold:
            return outcome(key, control, False, 'holdout', b)
    # 6. A sticky record naming one of the variants.
    if sticky is not None:
        kept = sticky.get(key, experiment.key)
        if kept is not None and kept in experiment.variants:
            return outcome(key, kept, True, 'sticky', -1)
    # 7. The layer.
    if experiment.has_layer:
        b = bucket(experiment.layer_seed)
        if not experiment.layer_from <= b < experiment.layer_to:
            return outcome(key, control, False, 'layer', b)
    # 8. The traffic.
    if experiment.traffic_threshold < BUCKETS:
        b = bucket(experiment.traffic_seed)
        if b >= experiment.traffic_threshold:
            return outcome(key, control, False, 'traffic', b)
    # 9. The rollout, and 10. the treatment.
    rollout_bucket = bucket(experiment.rollout_seed)
    variant = control
    if rollout_bucket < experiment.rollout_threshold:
        index = 0
        if len(experiment.treatment_bounds) > 1:
            position = bucket(experiment.variant_seed)
            index = next(i for i, bound in enumerate(experiment.treatment_bounds) if position < bound)
        variant = experiment.variants[1 + index]
    if sticky is not None:
        sticky.set(key, experiment.key, variant)  # §8: a bucketed outcome is recorded
    return outcome(key, variant, True, 'bucketed', rollout_bucket)


def _self_check() -> None:
    # Published XXH32 sanity values.
    assert xxh32(b'') == 0x02CC5D05
    assert xxh32(b'', 0x9E3779B1) == 0x36B78AE7
    assert xxh32(b'a') == 0x550D7456
    assert xxh32(b'abc') == 0x32D153FF
    # §3.4: the shortest digits agree with Python's repr (also nearest, ties to even) on random
    # doubles and on doubles halfway between two shortest strings (x = odd × 2^-j-1, x ~ 2^50).
    import random

    rng = random.Random(34)
    doubles = [struct.unpack('<d', struct.pack('<Q', rng.getrandbits(63)))[0] for _ in range(2000)]
    doubles += [(rng.randrange(2**52, 2**53) | 1) * 2.0 ** -(j + 1) for j in (1, 2, 3) for _ in range(300)]
    for x in doubles:
        if math.isfinite(x) and x > 0:
            digits, n = _shortest_digits(x)
            expected = Decimal(repr(x)).normalize().as_tuple()
            assert (digits, n) == (''.join(map(str, expected.digits)), expected.exponent + len(expected.digits)), x
    try:
        import xxhash  # Debian: python3-xxhash
    except ImportError:
        print('reference.py: XXH32 sanity values and number texts pass (xxhash module not installed, skipped its cross-check)')
        return
    rng = random.Random(20261121)
    for n in range(3000):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(80)))
        seed = rng.randrange(2**32)
        assert xxh32(data, seed) == xxhash.xxh32_intdigest(data, seed), (data, seed)
    print('reference.py: XXH32 sanity values and number texts pass; 3000 random inputs agree with the xxhash module')


if __name__ == '__main__':
    _self_check()
