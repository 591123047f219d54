"""§5.1 The error an invalid configuration raises, and the path that names the field at fault."""

from __future__ import annotations

import re
from typing import Any

from .text import js_json_string


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
