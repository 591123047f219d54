"""§7 Assignment: the checks in their order of precedence, and the §8 sticky read and write."""

from __future__ import annotations

from typing import Any

from .buckets import BUCKETS, bucket_of
from .plan import Experiment
from .sticky import StickyStore
from .text import normalize
from .units import prepare_unit
from .xxh32 import xxh32


def assign(experiment: Experiment, unit: Any, attributes: dict[str, Any] | None = None,
           override: str | None = None, sticky: StickyStore | None = None) -> dict[str, Any]:
    """variant, inExperiment, reason, bucket and the unit's canonical key, in the order of §7.

    `override` is a per-call override (a variant forced by the caller, such as an HTTP QA
    override); `sticky` a sticky store, read at step 6 and written after a `bucketed` outcome.
    """
    control = experiment.variants[0]

    def outcome(key: str, variant: str, in_experiment: bool, reason: str, bucket: int) -> dict[str, Any]:
        result = {'variant': variant, 'inExperiment': in_experiment, 'reason': reason, 'bucket': bucket, 'unit': key}
        # §5.7: the variant's value rides along; it never decides anything.
        return result if experiment.values is None else {**result, 'value': experiment.values[variant]}

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
