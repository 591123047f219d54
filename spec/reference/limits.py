"""§5.6 Limits: how large a configuration may be, checked before any other rule.

The configuration is walked depth-first in document order (a map's keys in their order, an
array's items by index), counting every value it holds, the configuration itself included."""

from __future__ import annotations

from typing import Any

from .config_error import ConfigError, field_path
from .text import utf16_units

MAX_DEPTH = 64       # levels: the configuration is level 1, a value inside level n is at level n + 1
MAX_VALUES = 100_000  # maps, arrays, strings, numbers, booleans and nulls, at any level
MAX_TEXT = 1_024      # UTF-16 code units in any string value or key of a map
MAX_VARIANTS = 1_000  # items of `variants`

_TOO_MANY = f'must keep the configuration within {MAX_VALUES} values'


def check_limits(config: Any) -> None:
    """Raises the ConfigError of §5.6 for the first limit the walk finds broken."""
    left = MAX_VALUES  # values the configuration may still hold

    def walk(value: Any, path: str, depth: int) -> None:
        nonlocal left
        field = path or 'config'
        if left <= 0:  # this value would be one past the limit
            raise ConfigError(field, value, _TOO_MANY)
        left -= 1
        if depth > MAX_DEPTH:
            raise ConfigError(field, value, f'must be nested at most {MAX_DEPTH} levels deep')
        if isinstance(value, str):
            if len(utf16_units(value)) > MAX_TEXT:
                raise ConfigError(field, value, f'must be at most {MAX_TEXT} characters long')
            return
        if not isinstance(value, (list, dict)):
            return
        if len(value) > left:  # refused by its length, before any item is read
            raise ConfigError(field, value, f'{_TOO_MANY} (it holds {len(value)})')
        if isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f'{path}[{i}]', depth + 1)
        else:
            for key, item in value.items():
                if len(utf16_units(key)) > MAX_TEXT:
                    raise ConfigError(field, key, f'must have keys of at most {MAX_TEXT} characters')
                walk(item, field_path(path, key), depth + 1)

    walk(config, '', 1)
