"""A snapshot written by one process answers in another exactly as the matcher that
wrote it: nothing saved may depend on the writing process's string hashing (a
frozenset's order once set the capability bits, so every reader scored capability on
other codes' bits), and a snapshot whose code bits this process cannot honour is
refused instead of read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaker.domain.embedding import SentenceTransformerEmbedder
from matchmaker.domain.errors import IndexFileError
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.scoring_config import ScoringConfig

ROOT = Path(__file__).resolve().parents[2]

# Writes (argv[2] "save") or reads (argv[2] "load") a snapshot in argv[1] and prints
# every firm's top 5 with scores and capability values: sample_profiles plus firms
# ticking sub-capabilities, so the capability masks decide much.
CHILD = """
import json, sys
from matchmaker.domain.codes import CAPABILITY_BITS
from matchmaker.domain.embedding import make_embedder, offer_text, seek_text
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.scoring_config import ScoringConfig
from tests.domain.factories import TODAY, make_profile, sample_profiles

directory, mode = sys.argv[1], sys.argv[2]
embedder = make_embedder("default")
config = ScoringConfig.for_model(embedder.model_name)
codes = [c for c in CAPABILITY_BITS.codes() if "." in c]
profiles = sample_profiles() + [
    make_profile(
        id=100 + n,
        name=f"Firm {n}",
        country=("PL", "UA")[n % 2],
        offers=f"Parts and services, line {n}",
        capabilities={codes[(7 * n) % len(codes)], codes[(7 * n + 3) % len(codes)]},
        seeking_capabilities={codes[(5 * n + 1) % len(codes)]},
    )
    for n in range(40)
]
if mode == "save":
    matcher = Matcher(embedder, config)
    matcher.bulk_load(
        profiles,
        embedder.encode([offer_text(p) for p in profiles]),
        embedder.encode([seek_text(p) for p in profiles]),
    )
    matcher.save(directory, generation=1)
else:
    matcher, _ = Matcher.load(directory, embedder, config)
out = {}
for p in profiles:
    top = matcher.match_company(p.id, today=TODAY, limit=5)
    out[p.id] = [[s.company.id, s.score, s.components.get("capability")] for s in top]
print(json.dumps({"codes": CAPABILITY_BITS.codes(), "matches": out}))
"""


def _run(directory: Path, mode: str, hash_seed: str) -> dict[str, object]:
    env = {
        "PYTHONPATH": str(ROOT),
        "PYTHONHASHSEED": hash_seed,
        "HF_HUB_OFFLINE": "1",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(directory), mode],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_snapshot_read_by_a_process_with_other_string_hashing_answers_the_same(
    tmp_path: Path,
) -> None:
    written = _run(tmp_path, "save", "1")
    read = _run(tmp_path, "load", "2")
    assert read["codes"] == written["codes"]  # the taxonomy's bits do not depend on hashing
    assert read["matches"] == written["matches"]


def test_a_snapshot_in_another_bit_order_is_refused(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    """Masks are only meaningful in the order they were written in: a snapshot whose
    saved capability codes this process holds at other bits is not read."""
    written = _run(tmp_path, "save", "1")
    assert written["matches"]
    path = tmp_path / "matcher.snap"
    raw = path.read_bytes()
    # The writer's last two codes: this test process may have registered codes of its
    # own (other tests tick unknown ones) after the taxonomy's.
    first, second = list(written["codes"])[-2:]
    swapped = raw.replace(f'"{first}", "{second}"'.encode(), f'"{second}", "{first}"'.encode())
    if swapped == raw:  # the meta may be written without spaces
        swapped = raw.replace(f'"{first}","{second}"'.encode(), f'"{second}","{first}"'.encode())
    assert swapped != raw and len(swapped) == len(raw)
    path.write_bytes(swapped)
    with pytest.raises(IndexFileError, match="bit order"):
        Matcher.load(tmp_path, embedder, ScoringConfig.for_model(embedder.model_name))
