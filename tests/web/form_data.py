"""Turn a profile document into the fields a browser would post from the profile form."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from matchmaker.web.profile_form import CERTIFICATE_FIELDS, CONTACT_FIELDS, LIST_FIELDS, TEXT_FIELDS


def form_data(document: dict[str, Any], **extra: str) -> MultiDict[str, str]:
    data: MultiDict[str, str] = MultiDict()
    for name in TEXT_FIELDS:
        data.add(name, document.get(name) or "")
    for name in LIST_FIELDS:
        for code in document.get(name) or []:
            data.add(name, code)
    for index, cert in enumerate(document.get("certifications") or []):
        for name in CERTIFICATE_FIELDS:
            data.add(f"certifications-{index}-{name}", cert.get(name) or "")
    compliance = document.get("compliance") or {}
    data.add("compliance-controlling_country", compliance.get("controlling_country") or "")
    for flag in ("sanctioned", "itar_controlled"):
        if compliance.get(flag):
            data.add(f"compliance-{flag}", "1")
    for code in compliance.get("export_control") or []:
        data.add("compliance-export_control", code)
    share = compliance.get("non_eligible_component_share")
    data.add("compliance-non_eligible_component_share", "" if share is None else str(share))
    for name in ("security_clearance", "required_clearance"):
        data.add(f"compliance-{name}", compliance.get(name) or "none")
    contact = document.get("contact") or {}
    for name in CONTACT_FIELDS:
        data.add(f"contact-{name}", contact.get(name) or "")
    if document.get("contact_consent"):
        data.add("contact_consent", "1")
    for key, value in extra.items():
        data.add(key, value)
    return data
