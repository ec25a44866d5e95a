"""Open Badges 3.0: the organisation's signing keys and the credentials issued to people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow

# Every credential has a place in one revocation list; the W3C Bitstring Status List asks for at
# least 131,072 entries so that a position says nothing about when or to whom a credential went.
STATUS_LIST_SIZE = 131072


class BadgeKey(SQLModel, table=True):
    """A public key credentials were signed with. Kept after it is replaced, so that every credential
    signed with it still verifies; its private half lives in a file (lms/badges/keys.py)."""

    __tablename__ = "badge_key"

    id: int | None = Field(default=None, primary_key=True)
    # The RFC 7638 thumbprint of the public key: the fragment of the did:web verification method.
    thumbprint: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    public_jwk: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    # Set when a newer key takes over signing; the key stays published.
    retired_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class BadgeCredential(SQLModel, table=True):
    """One OpenBadgeCredential, stored as signed so that every download is the same credential."""

    __tablename__ = "badge_credential"

    id: int | None = Field(default=None, primary_key=True)
    # The credential's id is urn:uuid:<uuid>.
    uuid: str = Field(default="", sa_column=Column(String(36), unique=True, nullable=False))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False))
    competence_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("competence.id", ondelete="SET NULL"), index=True, nullable=True)
    )
    # A credential for a completed course (BADGES_FOR_COURSES) names the course instead.
    course_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("course.id", ondelete="SET NULL"), index=True, nullable=True)
    )
    level: int = 0
    # What the achievement was called when issued (a competence may be renamed or removed later).
    achievement_name: str = Field(sa_column=Column(String(400), nullable=False))
    key_id: int = Field(default=0, sa_column=Column(Integer, ForeignKey("badge_key.id", ondelete="RESTRICT"), nullable=False))
    status_index: int = Field(default=0, sa_column=Column(Integer, unique=True, nullable=False))
    issued_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    valid_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # The VC-JWT as signed; emptied when the holder is erased (it carries their salted e-mail hash).
    jwt: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    revoked_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    )
