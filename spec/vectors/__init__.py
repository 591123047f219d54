"""Builds spec/vectors.json from the reference (spec/reference/); spec/generate_vectors.py writes it.

One module per section of the file or group of assignment cases:

    primitives            hashes, buckets, seeds, percents, units
    plans                 plans
    invalid_configs       invalidConfigs
    cases_units           cases: string ids, non-ASCII ids, compound and missing units (§3)
    cases_thresholds      cases: rollout, traffic, weights (§4, §5.2)
    cases_layers_holdouts cases: layers and holdouts
    cases_overrides       cases: overrides, the kill switch, salts
    cases_eligibility     cases: JSON eligibility rules (§6)
    cases_precedence      cases: every pair of §7 checks that can both decide
    cases_sticky          cases: the sticky store (§8)
    cases_limits          cases: the largest configurations §5.6 accepts
    cases_values          cases: variant values (§5.7), and invalidConfigs' invalid values
    interleavings         interleavings (§13), refused requests included
    document              the whole file, in order

and what they share: case_recorder (assigns and records a case), boundaries (pinning a unit
exactly on a bound), samples (sample units) and experiments (shared experiment configs).

Modules import the reference as `reference`, so spec/ must be on sys.path (generate_vectors.py
puts it there).
"""
