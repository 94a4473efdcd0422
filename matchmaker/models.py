"""Database models (SQLAlchemy 2, typed). The database is the single source of truth.

Validation rules do not live here: they live in `schemas.py`. Constraints here are
the last line of defence (uniqueness, foreign keys, optimistic locking).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    case,
    event,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.domain.search_keys import record_search_key
from matchmaker.extensions import Base, db

if TYPE_CHECKING:  # Flask-SQLAlchemy builds db.Model at run time from our typed Base.
    Model = Base
else:
    Model = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC)


class Company(Model):
    """A firm in the registry, European or Ukrainian."""

    __tablename__ = "company"
    __table_args__ = (
        UniqueConstraint("country", "legal_id"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected', 'archived')", name="status"),
        CheckConstraint("side IN ('EU', 'UA')", name="side"),
        CheckConstraint("size IN ('startup', 'sme', 'large')", name="size"),
        # The review queue: pending firms, oldest submission first, a page at a time.
        Index("ix_company_status_created_at", "status", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    legal_id: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2), index=True)
    side: Mapped[str] = mapped_column(String(2), index=True)
    size: Mapped[str] = mapped_column(String(10))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    offers: Mapped[str] = mapped_column(Text, default="")
    seeks: Mapped[str] = mapped_column(Text, default="")
    # The texts the admin search reads, folded (domain/search_keys.py); kept on every write
    # by the listeners below, so it is never edited by hand.
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    partner_certifications: Mapped[list[str]] = mapped_column(JSON, default=list)

    # Confidential: only roles allowed to see them get these fields.
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    controlling_country: Mapped[str | None] = mapped_column(String(2))
    sanctioned: Mapped[bool] = mapped_column(Boolean, default=False)
    export_control: Mapped[list[str]] = mapped_column(JSON, default=list)
    itar_controlled: Mapped[bool] = mapped_column(Boolean, default=False)
    non_eligible_component_share: Mapped[float | None] = mapped_column(Float)
    security_clearance: Mapped[str] = mapped_column(String(20), default="none")
    required_clearance: Mapped[str] = mapped_column(String(20), default="none")
    # The firm's consent to share its contact with every facilitation office, and when it
    # was last given (None while not given).
    contact_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    contact_consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Erasure: the firm asks through its edit link, an admin confirms (services.erasure).
    erasure_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Optimistic locking: a stale write raises StaleDataError instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Stamped from IndexState.generation on every change the matcher must see.
    index_generation: Mapped[int] = mapped_column(Integer, default=0, index=True)
    # Carried in the firm's edit token: issuing a new link bumps it, so one link is live.
    edit_link_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    capabilities: Mapped[list[CompanyCapability]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="CompanyCapability.code"
    )
    certifications: Mapped[list[Certification]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="Certification.scheme"
    )
    pathways: Mapped[list[CompanyPathway]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="CompanyPathway.code"
    )
    embeddings: Mapped[list[CompanyEmbedding]] = relationship(
        back_populates="company", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def contact(self) -> dict[str, str | None]:
        """The contact person in the profile document's `contact` shape."""
        return {"name": self.contact_name, "email": self.contact_email, "phone": self.contact_phone}

    def codes(self, kind: str) -> list[str]:
        """Capability codes of one kind ('offer' or 'seek'), sorted."""
        return sorted(c.code for c in self.capabilities if c.kind == kind)

    def searchable_texts(self) -> tuple[str | None, ...]:
        """What a search matches (besides the id), in the order `search_key` stores it."""
        return (self.name, self.legal_id, self.description, self.offers, self.seeks)

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.name!r} {self.country}>"


@event.listens_for(Company, "before_insert")
@event.listens_for(Company, "before_update")
def _refresh_search_key(_mapper: Any, _connection: Any, company: Company) -> None:
    # Every ORM write of a firm passes here, whichever service made it.
    company.search_key = record_search_key(*company.searchable_texts())


class CompanyCapability(Model):
    """A taxonomy code a company offers or seeks."""

    __tablename__ = "company_capability"
    __table_args__ = (
        UniqueConstraint("company_id", "kind", "code"),
        CheckConstraint("kind IN ('offer', 'seek')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(5))
    code: Mapped[str] = mapped_column(String(80), index=True)

    company: Mapped[Company] = relationship(back_populates="capabilities")


class Certification(Model):
    """A certificate a company holds; an expired one does not count."""

    __tablename__ = "certification"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    scheme: Mapped[str] = mapped_column(String(40))
    identifier: Mapped[str] = mapped_column(String(120), default="")
    issuer: Mapped[str] = mapped_column(String(120), default="")
    valid_until: Mapped[date | None] = mapped_column(Date)

    company: Mapped[Company] = relationship(back_populates="certifications")


class CompanyPathway(Model):
    """A cooperation pathway a company wants."""

    __tablename__ = "company_pathway"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40), index=True)

    company: Mapped[Company] = relationship(back_populates="pathways")


class CompanyEmbedding(Model):
    """A stored vector for one text of a company, so unchanged texts are never re-embedded."""

    __tablename__ = "company_embedding"
    __table_args__ = (
        UniqueConstraint("company_id", "kind"),
        CheckConstraint("kind IN ('offer', 'seek')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(5))
    model: Mapped[str] = mapped_column(String(200))
    text_hash: Mapped[str] = mapped_column(String(64))
    dimension: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    company: Mapped[Company] = relationship(back_populates="embeddings")


class ProfileRevision(Model):
    """A firm's change of its approved profile, waiting for review.

    The approved record stays live (and suggested) in `company` until an admin approves
    the change; the document is the whole edited profile, in `company_document`'s shape.
    """

    __tablename__ = "profile_revision"
    __table_args__ = (
        CheckConstraint(
            "status IN ('waiting', 'approved', 'rejected', 'withdrawn')", name="status"
        ),
        # The queue's re-reviews: waiting changes, oldest first.
        Index("ix_profile_revision_status_submitted_at", "status", "submitted_at", "id"),
        # One waiting change per firm: a second change replaces it; this decides races.
        Index(
            "uq_profile_revision_waiting",
            "company_id",
            unique=True,
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reviewer: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_note: Mapped[str | None] = mapped_column(Text)
    # Optimistic locking: the firm's form and the admin's queue hold the version they saw.
    version: Mapped[int] = mapped_column(Integer, default=1)

    company: Mapped[Company] = relationship()

    __mapper_args__ = {"version_id_col": version}


class IndexState(Model):
    """One row: a generation counter bumped by every change the vector index must see.

    Each worker compares it with the generation it last loaded, cheaply, before a search.
    """

    __tablename__ = "index_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Which history of the database this is: set by the migration, replaced by every
    # restore, so a snapshot or loaded matcher of another history is never caught up.
    database_id: Mapped[str | None] = mapped_column(String(32))


class ApiClient(Model):
    """A facilitation office or admin tool calling the JSON API with a bearer key."""

    __tablename__ = "api_client"
    __table_args__ = (CheckConstraint("role IN ('office', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    # Keys are long random tokens, so a fast hash is enough and allows lookup by hash.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AdminUser(Model):
    """A person who curates the registry through the admin pages."""

    __tablename__ = "admin_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Carried in every session cookie; logout, password change and deactivation bump it,
    # so a copied cookie stops working at once (a signed cookie cannot be recalled).
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class AuditEvent(Model):
    """Who changed what and when, with the record before and after."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class Introduction(Model):
    """Two firms introduced to each other by an office, and how it went."""

    __tablename__ = "introduction"
    __table_args__ = (
        CheckConstraint(
            "outcome IN ('proposed', 'contacted', 'meeting', 'mou', 'jv', 'declined')",
            name="outcome",
        ),
        CheckConstraint("company_a_id <> company_b_id", name="distinct_companies"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_a_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    company_b_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    api_client_id: Mapped[int | None] = mapped_column(ForeignKey("api_client.id"))
    recorded_by: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(10), default="proposed")
    score: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    company_a: Mapped[Company] = relationship(foreign_keys=[company_a_id])
    company_b: Mapped[Company] = relationship(foreign_keys=[company_b_id])

    __mapper_args__ = {"version_id_col": version}


# One open introduction per pair (in either order) and recording office: the service checks
# first for a friendly answer, this index decides when two requests race. Admin pages
# record without an office (NULL), so NULL counts as one office of its own.
OPEN_INTRODUCTION = text("outcome <> 'declined'")
Index(
    "uq_introduction_open_pair",
    case(
        (Introduction.company_a_id < Introduction.company_b_id, Introduction.company_a_id),
        else_=Introduction.company_b_id,
    ),
    case(
        (Introduction.company_a_id < Introduction.company_b_id, Introduction.company_b_id),
        else_=Introduction.company_a_id,
    ),
    func.coalesce(Introduction.api_client_id, 0),
    unique=True,
    sqlite_where=OPEN_INTRODUCTION,
    postgresql_where=OPEN_INTRODUCTION,
)

# Autogenerate cannot compare expression indexes (SQLite cannot reflect them, PostgreSQL
# renders them differently), so it would drop and re-add them in every new revision;
# tests/test_migrations.py checks that they exist instead.
EXPRESSION_INDEXES = frozenset({"uq_introduction_open_pair"})


def include_in_autogenerate(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's `include_object` hook: every schema object but the expression indexes."""
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


class DuplicateCandidatePair(Model):
    """A stored candidate pair for the duplicates review (services.duplicate_store keeps it
    current on every write, so the page never compares the whole registry)."""

    __tablename__ = "duplicate_candidate"

    first_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), primary_key=True
    )
    second_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    band: Mapped[str] = mapped_column(String(10), index=True)
    band_rank: Mapped[int] = mapped_column(Integer)  # position in BANDS, for ordering
    strength: Mapped[float] = mapped_column(Float)  # the stronger signal, for ordering
    name_similarity: Mapped[float] = mapped_column(Float)
    offer_similarity: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)


# The duplicates page's order (candidates_query), so a deep page walks an index instead
# of sorting every stored pair per request; a band's page starts at its band_rank.
Index(
    "ix_duplicate_candidate_page_order",
    DuplicateCandidatePair.band_rank,
    DuplicateCandidatePair.strength.desc(),
    DuplicateCandidatePair.first_id,
    DuplicateCandidatePair.second_id,
)


class DuplicateKey(Model):
    """A blocking key of a non-archived firm (legal id, name, name token): firms sharing a
    key are compared, found through this index instead of a scan of every name."""

    __tablename__ = "duplicate_key"

    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(250), primary_key=True, index=True)


class ScoringVersion(Model):
    """A set of component weights: proposed by `flask scoring fit`, applied by an admin.

    At most one is active; the matcher uses its weights (see services/scoring_versions).
    """

    __tablename__ = "scoring_version"
    __table_args__ = (
        CheckConstraint("status IN ('proposed', 'active', 'retired')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    weights: Mapped[dict[str, float]] = mapped_column(JSON)
    # Cross-validated figures of these weights and of the ones in use when fitted.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What it was fitted on: introductions counted by outcome, labelled sets, queries.
    source: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="proposed", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    applied_by: Mapped[str | None] = mapped_column(String(200))
    # The version this one replaced when applied (None: the shipped defaults): what a
    # revert goes back to.
    replaced_id: Mapped[int | None] = mapped_column(Integer)


class OutgoingMail(Model):
    """A message the app owes someone: the firm's edit link, or an admins' digest.

    A row is written before sending and marked when the transport took the message, so
    an SMTP failure loses nothing: `flask mail retry` sends what is still owed. No row
    holds a link or an address: an edit-link mail is rebuilt from the firm's record
    (to the e-mail on file, with the link version it was owed; a newer link supersedes
    it), and a digest from the audit events up to its watermark.
    """

    __tablename__ = "outgoing_mail"
    __table_args__ = (
        CheckConstraint("kind IN ('edit_link', 'digest')", name="kind"),
        CheckConstraint("status IN ('pending', 'sent', 'failed', 'dropped')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    company_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The language of the firm's pages when the mail was owed ("en", "uk").
    language: Mapped[str] = mapped_column(String(5), default="en")
    link_version: Mapped[int | None] = mapped_column(Integer)
    # Digests: the last audit event covered. Unique, so two workers cannot send one twice;
    # cleared on failure, so the next digest covers those events again.
    watermark: Mapped[int | None] = mapped_column(Integer, unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
