"""Deterministic placeholder legal ids for evaluation firms whose register number we lack.

The registry refuses a profile without a valid legal id, and an evaluation firm must be
registered the way a real firm would be. Where a firm's real EDRPOU or VAT number is not
in public sources we use a placeholder derived from its name, so the same firm gets the
same id in every file: `python eval/placeholder_id.py UA "Ukrainian Armor LLC"`.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matchmaker.domain.identifiers import edrpou_check_digit  # noqa: E402


def placeholder_id(country: str, name: str) -> str:
    """A format-valid id: an EDRPOU with its check digit for UA, a register-style id elsewhere."""
    digest = int(
        hashlib.sha256(f"{country.upper()}|{name.strip().lower()}".encode()).hexdigest(), 16
    )
    if country.upper() == "UA":
        stem = f"{9_000_000 + digest % 990_000:07d}"  # 9xxxxxx: outside most real ranges
        code = stem + "0"
        return stem + str(edrpou_check_digit(code))
    return f"EVAL{digest % 10**10:010d}"


if __name__ == "__main__":
    print(placeholder_id(sys.argv[1], sys.argv[2]))
