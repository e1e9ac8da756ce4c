"""Vignette drafts (answers saved as the trainee goes) and submitted, scored attempts."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.timeutil import UTCDateTime, utcnow

STATUSES = ("passed", "failed", "pending")


class VignetteDraft(db.Model):
    """Work in progress on a vignette: one per trainee and vignette, kept on the version
    it was started on until it is submitted."""

    __tablename__ = "vignette_drafts"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", "vignette_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    vignette_id: Mapped[int] = mapped_column(ForeignKey("vignettes.id"))
    vignette_key: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    presented: Mapped[dict | None] = mapped_column(JSON)  # stage id -> option ids, as shown
    # The furthest page opened: stage N, or the stage count + 1 for the review. A stage
    # before it is frozen (its reveal and what follows it have been read).
    opened_through: Mapped[int] = mapped_column(default=0, server_default="0")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    vignette: Mapped["Vignette"] = relationship()  # noqa: F821


class VignetteAttempt(db.Model):
    """A submitted attempt with everything needed to explain its score later."""

    __tablename__ = "vignette_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key"),
        Index("ix_vignette_attempts_organisation_id_id", "organisation_id", "id"),
        CheckConstraint("status IN ('passed', 'failed', 'pending')", name="status_known"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 1)", name="score_fraction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))  # indexed with id, below
    vignette_id: Mapped[int] = mapped_column(ForeignKey("vignettes.id"), index=True)
    vignette_key: Mapped[str] = mapped_column(String(64), index=True)
    vignette_version: Mapped[int] = mapped_column()
    content_hash: Mapped[str] = mapped_column(String(64))
    answers: Mapped[dict] = mapped_column(JSON)
    presented: Mapped[dict | None] = mapped_column(JSON)  # None: shown in file order (older)
    stage_results: Mapped[list] = mapped_column(JSON)
    critical_errors: Mapped[list] = mapped_column(JSON)
    text_levels: Mapped[dict] = mapped_column(JSON, default=dict)
    score: Mapped[float | None] = mapped_column(Float)
    provisional: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    text_rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    text_rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    vignette: Mapped["Vignette"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821
