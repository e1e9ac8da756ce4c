"""Trainee progress: sections read and knowledge-check attempts."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.timeutil import UTCDateTime, utcnow


class SectionRead(db.Model):
    """A trainee opened a section of a module (remembered across versions by module id)."""

    __tablename__ = "section_reads"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", "module_key", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    module_key: Mapped[str] = mapped_column(String(64))
    section: Mapped[int] = mapped_column(Integer)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModuleAttempt(db.Model):
    """One submitted knowledge check, scored against the module version it was taken on."""

    __tablename__ = "module_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "submission_key"),
        Index("ix_module_attempts_organisation_id_id", "organisation_id", "id"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_fraction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))  # indexed with id, below
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    module_key: Mapped[str] = mapped_column(String(64), index=True)
    module_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict] = mapped_column(JSON)
    presented: Mapped[dict | None] = mapped_column(JSON)  # question id -> option ids, as asked
    results: Mapped[dict] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column()
    submission_key: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    module: Mapped["Module"] = relationship()  # noqa: F821
