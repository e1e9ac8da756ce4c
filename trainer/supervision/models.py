"""Session ratings, their time-stamped comments, summative draws and harm follow-ups."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.timeutil import UTCDateTime, utcnow


class SessionRating(db.Model):
    """A rating of one session on a scale: a draft until submitted, then final; a correction
    is a new rating that supersedes the old one (kept)."""

    __tablename__ = "session_ratings"
    __table_args__ = (
        CheckConstraint("purpose IN ('formative', 'summative', 'self')", name="purpose_known"),
        CheckConstraint("status IN ('draft', 'submitted', 'superseded')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("case_sessions.id", ondelete="CASCADE"),
                                            index=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scale_id: Mapped[int] = mapped_column(ForeignKey("rating_scales.id"))
    purpose: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    items: Mapped[dict] = mapped_column(JSON, default=dict)
    item_comments: Mapped[dict] = mapped_column(JSON, default=dict)
    global_score: Mapped[int | None] = mapped_column(Integer)
    harmful_practice: Mapped[str | None] = mapped_column(Text)
    client_at_risk: Mapped[str | None] = mapped_column(Text)
    mean: Mapped[float | None] = mapped_column(Float)
    competent: Mapped[bool | None] = mapped_column()
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    drawn: Mapped[bool] = mapped_column(default=False)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("session_ratings.id"))
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    comments: Mapped[list["RatingComment"]] = relationship(
        back_populates="rating", order_by="RatingComment.at_seconds",
        cascade="all, delete-orphan")
    rater: Mapped["User"] = relationship()  # noqa: F821
    scale: Mapped["RatingScale"] = relationship()  # noqa: F821
    session: Mapped["CaseSession"] = relationship()  # noqa: F821


class RatingComment(db.Model):
    """A comment at a time in the recording (seconds from the start)."""

    __tablename__ = "rating_comments"
    __table_args__ = (CheckConstraint("at_seconds >= 0", name="at_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("session_ratings.id", ondelete="CASCADE"),
                                           index=True)
    at_seconds: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    rating: Mapped[SessionRating] = relationship(back_populates="comments")

    @property
    def at(self) -> str:
        minutes, seconds = divmod(self.at_seconds, 60)
        return f"{minutes:02d}:{seconds:02d}"


class SummativeDraw(db.Model):
    """A session the platform drew at random for summative rating; never redrawn."""

    __tablename__ = "summative_draws"
    __table_args__ = (UniqueConstraint("case_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("training_cases.id", ondelete="CASCADE"),
                                         index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("case_sessions.id", ondelete="CASCADE"))
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HarmFollowUp(db.Model):
    """The follow-up a harmful-practice flag opens: a conversation within the deadline."""

    __tablename__ = "harm_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("session_ratings.id", ondelete="CASCADE"),
                                           unique=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    conversation_notes: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    rating: Mapped[SessionRating] = relationship()
