"""What kind of JSON value a Python value is, where bool being a subclass of int would mislead."""

from __future__ import annotations

from typing import Any


def is_number(value: Any) -> bool:
    """A JSON number: an int or a float, and not True or False (Python's bool is an int)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)
