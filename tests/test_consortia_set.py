"""The consortia evaluation set (`eval/consortia/`) is internally consistent: every
consortium names firms that are profiled, has a source, valid codes and a lead among its
members, and no member's texts name another member (the builder must find them from
what the firms offer, not from a leaked name)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from marshmallow import ValidationError

from matchmaker.domain.programmes import programmes
from matchmaker.domain.taxonomy import CAPABILITY_CODES, side_of_country
from matchmaker.schemas import CompanySchema

ROOT = Path(__file__).resolve().parent.parent
SET_DIR = ROOT / "eval" / "consortia"
PROGRAMMES = set(programmes().programmes)  # the builder's own codes
# Meta fields of this set beyond eval/build.py's: a profile written from the deal itself.
SET_META = {"profile_from_deal"}
KINDS = {"jv", "coproduction", "licensing", "mro", "investment", "mou"}


def _build_module() -> Any:
    spec = importlib.util.spec_from_file_location("eval_build", ROOT / "eval" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _build_module()
CONSORTIA: list[dict[str, Any]] = json.loads((SET_DIR / "consortia.json").read_text())
NEW_FIRMS: list[dict[str, Any]] = json.loads((SET_DIR / "firms.json").read_text())
REAL_FIRMS: list[dict[str, Any]] = json.loads((ROOT / "eval/real/firms.json").read_text())
FIRMS = {BUILD.key_of(f): f for f in REAL_FIRMS + NEW_FIRMS}


def _key(ref: dict[str, Any]) -> tuple[str, str]:
    return BUILD.key_of(ref)


def test_new_firms_are_new_and_load_like_an_import() -> None:
    real = {BUILD.key_of(f) for f in REAL_FIRMS}
    for firm in NEW_FIRMS:
        assert BUILD.key_of(firm) not in real, f"{firm['name']} is already in eval/real"
        for variant in (firm, BUILD.ukrainian_variant(firm)):
            row = {k: v for k, v in BUILD.import_row(variant).items() if k not in SET_META}
            try:
                CompanySchema().load(row)
            except ValidationError as error:  # pragma: no cover - the message is the point
                pytest.fail(f"{firm['name']}: {error.messages}")
        assert (firm["country"] == "UA") == ("uk" in firm), "Ukrainian texts for UA firms only"
    assert len({BUILD.key_of(f) for f in NEW_FIRMS}) == len(NEW_FIRMS)


def test_ids_are_unique() -> None:
    ids = [c["id"] for c in CONSORTIA]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("consortium", CONSORTIA, ids=[c["id"] for c in CONSORTIA])
def test_consortium_is_complete(consortium: dict[str, Any]) -> None:
    members = [_key(m) for m in consortium["members"]]
    assert len(members) >= 3 and len(set(members)) == len(members)
    missing = [m for m in members if m not in FIRMS]
    assert not missing, f"members not profiled: {missing}"
    for ref in consortium["members"]:
        assert FIRMS[_key(ref)]["name"] == ref["name"], f"{ref} names another firm"
    sides = {side_of_country(FIRMS[m]["country"]) for m in members}
    assert sides == {"EU", "UA"}, "needs a Ukrainian and a European member"
    assert _key(consortium["lead"]) in members, "the lead must be a member"
    assert consortium["capabilities"], "at least one work package"
    assert set(consortium["capabilities"]) <= CAPABILITY_CODES
    assert consortium["programme"] in PROGRAMMES
    assert consortium["structure"] in {"consortium", "group"}
    assert consortium["kind"] in KINDS
    assert 2022 <= consortium["year"] <= 2026
    assert consortium["sources"]
    for source in consortium["sources"]:
        assert source["url"].startswith(("http://", "https://"))
        assert source["found_in"]
    assert consortium["need"].strip() and consortium["summary"].strip()


@pytest.mark.parametrize("consortium", CONSORTIA, ids=[c["id"] for c in CONSORTIA])
def test_no_member_text_names_another_member(consortium: dict[str, Any]) -> None:
    members = [FIRMS[_key(m)] for m in consortium["members"]]
    for firm in members:
        for other in members:
            if other is not firm:
                named = BUILD.names_partner(firm, other)
                assert named is None, f"{firm['name']}'s text names {other['name']} ({named!r})"


@pytest.mark.parametrize("consortium", CONSORTIA, ids=[c["id"] for c in CONSORTIA])
def test_need_names_no_member(consortium: dict[str, Any]) -> None:
    need = {"description": consortium["need"], "offers": "", "seeks": ""}
    for ref in consortium["members"]:
        named = BUILD.names_partner(need, FIRMS[_key(ref)])
        assert named is None, f"the need text names {ref['name']} ({named!r})"
