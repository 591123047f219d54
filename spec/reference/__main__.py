"""`python3 spec/reference` (or `python3 -m spec.reference` from the repository root) runs the
reference's self-check."""

import sys
from pathlib import Path

if __package__:  # python3 -m spec.reference
    from .self_check import self_check
else:
    # python3 spec/reference: the package's own directory is sys.path[0], where its modules would
    # be importable without the package around them; import the package from spec/ instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    from reference.self_check import self_check

self_check()
