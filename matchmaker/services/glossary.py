"""What the glossary does not cover in this registry's Ukrainian texts.

The glossary (`domain/glossary_uk_en.tsv`) is what relates a Ukrainian profile to an
English one: shared terms across languages read it, and an English-only text model reads
Ukrainian texts through it. A word it does not know meets no English text at all, so
the most widespread unknown words are where a curator extends it first. After an edit,
`flask index status` counts the firms whose vectors were embedded from the old reading
and `flask index rebuild` re-embeds them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.lexical import GlossaryGap, glossary_gaps
from matchmaker.models import Company

# Firms that are or may become suggestions; archived and rejected ones no longer count.
LIVE_STATUSES = ("approved", "pending")


def registry_gaps(session: Session, top: int = 30) -> list[GlossaryGap]:
    """The `top` unknown Ukrainian words of the live firms' own texts."""
    rows = session.execute(
        select(Company.description, Company.offers, Company.seeks).where(
            Company.status.in_(LIVE_STATUSES)
        )
    )
    return glossary_gaps((" ".join(filter(None, row)) for row in rows), top)
