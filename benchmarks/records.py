"""CompanyProfile <-> plain dict, so cached registries survive changes to the dataclasses.

Pickling the frozen dataclasses themselves would bind the cache to today's class
layout; plain dicts are rebuilt through the constructors, which fill new defaults.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from matchmaker.domain.profile import Certificate, CompanyProfile, Compliance


def profile_to_record(profile: CompanyProfile) -> dict[str, Any]:
    """A dict of builtins (frozensets, dates and tuples included) for pickling."""
    return asdict(profile)


def profile_from_record(record: dict[str, Any]) -> CompanyProfile:
    fields = dict(record)
    fields["certifications"] = tuple(Certificate(**c) for c in fields["certifications"])
    fields["compliance"] = Compliance(**fields["compliance"])
    return CompanyProfile(**fields)
