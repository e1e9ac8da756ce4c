"""Gold-standard recordings with their expert consensus, supervisors' blind ratings of
them, and each organisation's calibration thresholds."""

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.timeutil import UTCDateTime, utcnow


class GoldStandard(db.Model):
    """A recording with an expert consensus rating; never a trainee's session. An
    organisation's own, or platform-wide when organisation_id is empty."""

    __tablename__ = "gold_standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    scale_id: Mapped[int] = mapped_column(ForeignKey("rating_scales.id"))
    phase: Mapped[str] = mapped_column(String(16))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    consensus_items: Mapped[dict] = mapped_column(JSON)
    consensus_global: Mapped[int] = mapped_column(Integer)
    teaching_consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scale: Mapped["RatingScale"] = relationship()  # noqa: F821


class GoldRating(db.Model):
    """A supervisor's blind rating of a gold-standard recording (one each)."""

    __tablename__ = "gold_ratings"
    __table_args__ = (UniqueConstraint("gold_id", "rater_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gold_id: Mapped[int] = mapped_column(ForeignKey("gold_standards.id", ondelete="CASCADE"),
                                         index=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    items: Mapped[dict] = mapped_column(JSON)
    global_score: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    gold: Mapped[GoldStandard] = relationship()
    rater: Mapped["User"] = relationship()  # noqa: F821


class CalibrationSettings(db.Model):
    """An organisation's thresholds (the spec's defaults until an admin changes them)."""

    __tablename__ = "calibration_settings"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    icc: Mapped[float] = mapped_column(Float, default=0.70)
    within_one: Mapped[float] = mapped_column(Float, default=0.80)
    bias: Mapped[float] = mapped_column(Float, default=0.5)
    min_recordings: Mapped[int] = mapped_column(Integer, default=3)
    lapse_months: Mapped[int] = mapped_column(Integer, default=12)
    double_share: Mapped[float] = mapped_column(Float, default=0.15)


class DoubleRating(db.Model):
    """A rated session drawn at random for a blind second rating by another calibrated
    supervisor of the organisation."""

    __tablename__ = "double_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("case_sessions.id", ondelete="CASCADE"),
                                            unique=True)
    first_rating_id: Mapped[int] = mapped_column(ForeignKey("session_ratings.id"))
    second_rater_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    second_rating_id: Mapped[int | None] = mapped_column(ForeignKey("session_ratings.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    first_rating: Mapped["SessionRating"] = relationship(  # noqa: F821
        foreign_keys=[first_rating_id])
    second_rating: Mapped["SessionRating | None"] = relationship(  # noqa: F821
        foreign_keys=[second_rating_id])
    session: Mapped["CaseSession"] = relationship()  # noqa: F821
