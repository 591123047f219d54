"""§8 A sticky store, as a plain map: no failures, no expiry."""

from __future__ import annotations

from .text import normalize, utf16_order


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
