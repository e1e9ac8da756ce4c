"""Certificates and the organisations' signing keys."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.timeutil import UTCDateTime, utcnow


class SigningKey(db.Model):
    """An organisation's Ed25519 key; the private half is encrypted at rest. Retired keys stay
    published so that credentials signed with them keep verifying."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    public_key_multibase: Mapped[str] = mapped_column(String(64), unique=True)
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821


class Certificate(db.Model):
    """A certificate for a pathway, issued by an organisation to one of its trainees. What it
    certifies (holder, pathway, evidence summary, signed credential) never changes after
    issue; only revocation is recorded on it later."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("organisation_id", "serial_number"),
        UniqueConstraint("organisation_id", "status_index"),
        CheckConstraint("serial_number > 0", name="serial_positive"),
        CheckConstraint("(revoked_at IS NULL) = (revocation_reason IS NULL)",
                        name="revocation_complete"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a random UUID
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    serial_number: Mapped[int]
    status_index: Mapped[int]
    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    pathway_key: Mapped[str] = mapped_column(String(64))
    pathway_version: Mapped[int]
    pathway_title: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signing_key_id: Mapped[int] = mapped_column(ForeignKey("signing_keys.id"))
    evidence: Mapped[dict] = mapped_column(JSON)  # the checklist and profile at issue
    credential: Mapped[dict] = mapped_column(JSON)  # the signed OpenBadgeCredential
    credential_jwt: Mapped[str] = mapped_column(Text)
    renews_id: Mapped[str | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL"), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revocation_reason: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    trainee: Mapped["User"] = relationship(foreign_keys=[trainee_id])  # noqa: F821
    issued_by: Mapped["User | None"] = relationship(foreign_keys=[issued_by_id])  # noqa: F821
    signing_key: Mapped[SigningKey] = relationship()

    @property
    def serial(self) -> str:
        """The printed serial: the organisation's slug and a zero-padded number."""
        return f"{self.organisation.slug.upper()}-{self.serial_number:06d}"

    def status(self, now: datetime) -> str:
        """`revoked`, `expired` or `active` at that moment."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return "active"
