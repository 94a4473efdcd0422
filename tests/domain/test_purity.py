"""The domain stays pure: no module of `matchmaker.domain` loads a web or database framework.

Each module is imported in a fresh interpreter, one after another, and blamed for every
forbidden package that appears in `sys.modules` during its import, so a new module or a
new import anywhere in the package is covered without editing this test.
"""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("flask", "flask_", "sqlalchemy", "werkzeug", "marshmallow")

_PROBE = """
import importlib, json, pkgutil, sys
import matchmaker.domain as domain

forbidden = tuple(sys.argv[1].split(","))

def loaded():
    # Top-level packages only: "flask_" matches every flask_* extension.
    tops = {name.partition(".")[0] for name in sys.modules}
    return {
        top for top in tops
        if any(top == f or (f.endswith("_") and top.startswith(f)) for f in forbidden)
    }

modules, before = [], loaded()
blamed = {"matchmaker.domain": sorted(before)} if before else {}
for info in pkgutil.walk_packages(domain.__path__, prefix="matchmaker.domain."):
    importlib.import_module(info.name)
    modules.append(info.name)
    now = loaded()
    if now - before:
        blamed[info.name] = sorted(now - before)
    before = now
print(json.dumps({"modules": modules, "blamed": blamed}))
"""


def test_no_domain_module_imports_a_framework() -> None:
    """flask (and flask_*), sqlalchemy, werkzeug and marshmallow never load with the domain."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, ",".join(FORBIDDEN)],
        check=True,
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    assert len(report["modules"]) > 10, "walk_packages found too few domain modules"
    assert report["blamed"] == {}, f"framework imports in the domain: {report['blamed']}"
