"""Bucketry assignment, implemented from docs/spec.md alone.

This is the second, independent implementation the test vectors come from: Python 3 with the
standard library only (XXH32 is written out in xxh32.py; `python3 spec/reference` checks it
against the `xxhash` module when that is installed, e.g. Debian's python3-xxhash).

Eligibility predicates given as code and sticky stores that fail are not modelled; JSON
eligibility rules, per-call overrides and a sticky store (a plain map) are. Section numbers (§)
refer to docs/spec.md.

One module per concept:

    xxh32         §1    the hash
    text          §2    strings as UTF-16 code units: UTF-8 bytes, order, JSON string literals
    number_text   §3.4  numbers as text, as ECMAScript writes them
    units         §3    a unit's canonical key and the bytes that are hashed
    buckets       §4    buckets of a hash, percentages as bucket counts, seeds
    config_error  §5.1  the error an invalid configuration raises, and field paths
    eligibility   §6    JSON eligibility rules
    plan          §5    configuration checks and derived numbers (Experiment)
    limits        §5.6  how large a configuration may be
    values        §5.7  variant values, and any JSON value as ECMAScript writes it
    sticky        §8    the sticky store
    assign        §7    assignment
    interleave    §13   team-draft and balanced interleaving
    self_check          what `python3 spec/reference` runs

The names below are the ones the single-file reference.py had; the generator and any other user
import them from here.
"""

from .assign import assign
from .buckets import BUCKETS, PURPOSE, bucket_of, js_round, percent_to_buckets, seed_for
from .config_error import ConfigError, field_path
from .eligibility import compile_rule
from .interleave import interleave
from .limits import MAX_DEPTH, MAX_TEXT, MAX_VALUES, MAX_VARIANTS, check_limits
from .number_text import js_number_text
from .plan import FIELDS, HOLDOUT_FIELDS, LAYER_FIELDS, Experiment, cookie_for, define_experiment, header_for
from .sticky import StickyStore
from .text import js_json_string, normalize, utf8, utf16_order, utf16_units
from .units import prepare_unit
from .xxh32 import MASK32, PRIME1, PRIME2, PRIME3, PRIME4, PRIME5, xxh32

__all__ = [
    'BUCKETS', 'FIELDS', 'HOLDOUT_FIELDS', 'LAYER_FIELDS', 'MASK32', 'MAX_DEPTH', 'MAX_TEXT', 'MAX_VALUES',
    'MAX_VARIANTS', 'PRIME1', 'PRIME2', 'PRIME3', 'PRIME4', 'PRIME5', 'PURPOSE', 'ConfigError', 'Experiment',
    'StickyStore', 'assign', 'bucket_of', 'check_limits', 'compile_rule', 'cookie_for', 'define_experiment',
    'field_path', 'header_for', 'interleave', 'js_json_string', 'js_number_text', 'js_round', 'normalize', 'percent_to_buckets',
    'prepare_unit', 'seed_for', 'utf8', 'utf16_order', 'utf16_units', 'xxh32',
]
