"""requirements.lock: complete for pyproject.toml, and free of CUDA packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\[\]-]+)==(\S+)$")


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>~ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if match := PIN.match(line.strip()):
            pins[_name(match.group(1))] = match.group(2)
    return pins


def test_the_lock_pins_every_dependency_at_the_version_pyproject_names() -> None:
    """make install uses --no-deps, so a dependency missing from the lock would be missing."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    lock = _lock()
    for requirement in declared:
        version = requirement.split("==", 1)[1].split(";")[0].strip()
        assert lock.get(_name(requirement), "").split("+")[0] == version, requirement


def test_the_lock_has_the_cpu_torch_and_no_cuda_packages() -> None:
    lock = _lock()
    assert lock["torch"].endswith("+cpu")
    cuda = [name for name in lock if re.match(r"^(nvidia-|triton|cuda)", name)]
    assert cuda == []
