"""§5 Experiments: a configuration checked field by field (§5.1), within the limits of §5.6, and
its derived numbers (§5.2), header and cookie names (§5.3)."""

from __future__ import annotations

import math
import re
from typing import Any

from .buckets import BUCKETS, js_round, percent_to_buckets, seed_for
from .config_error import ConfigError, field_path
from .eligibility import compile_rule
from .json_values import is_number
from .limits import MAX_VARIANTS, check_limits
from .text import js_json_string, normalize
from .values import check_values


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
          'eligibility', 'holdout', 'layer', 'version', 'values')
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
        check_limits(config)  # §5.6, before any other rule
        if not isinstance(config, dict):
            raise ConfigError('config', config, 'must be an object')
        _check_fields('', config, FIELDS)
        self.key = _check_name('key', config.get('key'))
        variants = config.get('variants')
        if not isinstance(variants, list) or len(variants) < 2:
            raise ConfigError('variants', variants, 'must be an array of at least 2 variant names')
        if len(variants) > MAX_VARIANTS:
            raise ConfigError('variants', variants, f'must have at most {MAX_VARIANTS} variants')
        for i, variant in enumerate(variants):
            _check_non_empty_string(f'variants[{i}]', variant)
            if normalize(variant) in (normalize(earlier) for earlier in variants[:i]):
                raise ConfigError(f'variants[{i}]', variant, 'must be unique')
        self.variants = [normalize(v) for v in variants]

        weights = config.get('weights', [1] * len(variants))
        if not isinstance(weights, list) or len(weights) != len(variants):
            raise ConfigError('weights', weights, f'must be an array of {len(variants)} numbers')
        for i, w in enumerate(weights):
            if not is_number(w) or not math.isfinite(w) or w < 0:
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
        self.salt = salt
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
        self.values = check_values(config['values'], variants) if 'values' in config else None

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
