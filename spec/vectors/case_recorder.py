"""Records assignment cases: each is assigned by the reference as it is added, and written with
what it expects."""

from __future__ import annotations

from typing import Any

import reference as ref

ABSENT: Any = object()  # no `attributes` in the case (None writes an explicit null)


class CaseRecorder:
    """The `cases` section, in the order cases are added; a name may be used once."""

    def __init__(self) -> None:
        self.cases: list[dict[str, Any]] = []
        self.names: set[str] = set()

    def case(self, name: str, experiment: dict[str, Any], unit: Any, attributes: Any = ABSENT,
             override: str | None = None, sticky: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """One assignment case. `override`: the caller forces this variant for the call (§7 step 3).
        `sticky`: the sticky store's records before the call (§8); the case then also expects the
        records after it, in `expected.records`, ordered by experiment, then unit."""
        if name in self.names:
            raise ValueError(f'duplicate case name {name!r}')
        self.names.add(name)
        store = None if sticky is None else ref.StickyStore(sticky)
        outcome = ref.assign(ref.define_experiment(experiment), unit, None if attributes is ABSENT else attributes, override, store)
        entry: dict[str, Any] = {'name': name, 'experiment': experiment, 'unit': unit}
        if attributes is not ABSENT:
            entry['attributes'] = attributes
        if override is not None:
            entry['override'] = override
        if store is not None:
            entry['sticky'] = sticky
            outcome = {**outcome, 'records': store.records()}
        entry['expected'] = outcome
        self.cases.append(entry)
        return outcome
