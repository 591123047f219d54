#!/usr/bin/env python3
"""Writes spec/vectors.json from the Python reference implementation (spec/reference/).

    python3 spec/generate_vectors.py

The sections and the groups of cases are built by spec/vectors/ (one module each). The output is
deterministic: the only randomness is random.Random with fixed seeds, and the file is written in
a fixed order as ASCII-only JSON (non-ASCII text, lone surrogates included, appears as \\u
escapes, so every reader sees the same UTF-16 strings).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SPEC = Path(__file__).resolve().parent
sys.path.insert(0, str(SPEC))  # the packages `reference` and `vectors`, wherever this is run from
from vectors.document import build_document  # noqa: E402

OUT = SPEC / 'vectors.json'


def main() -> None:
    document = build_document()
    text = json.dumps(document, ensure_ascii=True, indent=1, allow_nan=False) + '\n'
    OUT.write_text(text, encoding='ascii')
    print(f"wrote {OUT} ({len(document['cases'])} cases, {len(document['hashes'])} hashes, "
          f"{len(document['invalidConfigs'])} invalid configs)")


if __name__ == '__main__':
    main()
