"""The training case record and everything it holds."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.timeutil import UTCDateTime, utcnow

PHASES = ("pre-group", "initial", "middle", "termination", "maintenance")
VARIANTS = ("IPT", "IPT-B", "IPT-A", "IPT-M", "IPSRT", "group-IPT", "perinatal-IPT",
            "IPT-ED", "IPT-PTSD")
CASE_STATUSES = ("open", "completed", "discontinued")
_PHASE_CHECK = "phase IN ('pre-group', 'initial', 'middle', 'termination', 'maintenance')"


class TrainingCase(db.Model):
    """A client treated under supervision, known only by a pseudonymous code."""

    __tablename__ = "training_cases"
    __table_args__ = (
        UniqueConstraint("organisation_id", "trainee_id", "client_code"),
        CheckConstraint("planned_sessions >= 1 AND planned_sessions <= 60",
                        name="planned_sessions_range"),
        CheckConstraint("status IN ('open', 'completed', 'discontinued')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    client_code: Mapped[str] = mapped_column(String(32))
    variant: Mapped[str] = mapped_column(String(32))
    planned_sessions: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    consent_record: Mapped[bool] = mapped_column(default=False)
    consent_supervision: Mapped[bool] = mapped_column(default=False)
    consent_teaching: Mapped[bool] = mapped_column(default=False)
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    problem_areas: Mapped[list] = mapped_column(JSON, default=list)
    goals: Mapped[str] = mapped_column(Text, default="")
    formulation: Mapped[str] = mapped_column(Text, default="")
    contract_sessions: Mapped[int | None] = mapped_column(Integer)
    formulation_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    formulation_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signoff_note: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    trainee: Mapped["User"] = relationship(foreign_keys=[trainee_id])  # noqa: F821
    supervisor: Mapped["User"] = relationship(foreign_keys=[supervisor_id])  # noqa: F821
    sessions: Mapped[list["CaseSession"]] = relationship(
        back_populates="case", order_by="CaseSession.number")


class InventoryPerson(db.Model):
    """An important person in the client's interpersonal inventory."""

    __tablename__ = "inventory_people"
    __table_args__ = (CheckConstraint("closeness IN ('inner', 'middle', 'outer')",
                                      name="closeness_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("training_cases.id", ondelete="CASCADE"),
                                         index=True)
    label: Mapped[str] = mapped_column(String(80))
    relationship_kind: Mapped[str] = mapped_column(String(80), default="")
    closeness: Mapped[str] = mapped_column(String(8))
    good: Mapped[str] = mapped_column(Text, default="")
    hard: Mapped[str] = mapped_column(Text, default="")
    expectations: Mapped[str] = mapped_column(Text, default="")
    changes_wanted: Mapped[str] = mapped_column(Text, default="")


class TimelineEvent(db.Model):
    """An event on the timeline that links symptom onset to what happened."""

    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("training_cases.id", ondelete="CASCADE"),
                                         index=True)
    when: Mapped[str] = mapped_column(String(40))
    event: Mapped[str] = mapped_column(Text)
    mood: Mapped[str] = mapped_column(Text, default="")


class CaseSession(db.Model):
    """One therapy session with its phase, notes and outcome measure totals."""

    __tablename__ = "case_sessions"
    __table_args__ = (
        UniqueConstraint("case_id", "number"),
        CheckConstraint(_PHASE_CHECK, name="phase_known"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("phq9 IS NULL OR (phq9 >= 0 AND phq9 <= 27)", name="phq9_range"),
        CheckConstraint("phq9_item9 IS NULL OR (phq9_item9 >= 0 AND phq9_item9 <= 3)",
                        name="phq9_item9_range"),
        CheckConstraint("gad7 IS NULL OR (gad7 >= 0 AND gad7 <= 21)", name="gad7_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("training_cases.id", ondelete="CASCADE"),
                                         index=True)
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    phase: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    phq9: Mapped[int | None] = mapped_column(Integer)
    phq9_item9: Mapped[int | None] = mapped_column(Integer)
    gad7: Mapped[int | None] = mapped_column(Integer)
    other_measures: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[TrainingCase] = relationship(back_populates="sessions")
    recording: Mapped["Recording | None"] = relationship(back_populates="session",
                                                         uselist=False)


class Recording(db.Model):
    """A session recording: health data, stored outside static/ under a random name."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("case_sessions.id", ondelete="CASCADE"), unique=True)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    consent_confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delete_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[CaseSession] = relationship(back_populates="recording")

    @property
    def playable(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None


class SupervisionMeeting(db.Model):
    """A supervision meeting about a case, confirmed by the supervisor."""

    __tablename__ = "supervision_meetings"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND minutes <= 600", name="minutes_range"),
        CheckConstraint("group_size IS NULL OR group_size >= 2", name="group_size_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("training_cases.id", ondelete="CASCADE"),
                                         index=True)
    date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    group_size: Mapped[int | None] = mapped_column(Integer)
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes_cases: Mapped[str] = mapped_column(Text, default="")
    notes_risk: Mapped[str] = mapped_column(Text, default="")
    notes_recordings: Mapped[str] = mapped_column(Text, default="")
    notes_actions: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GroupMember(db.Model):
    """A pseudonymous member of a group IPT case, with their own focus and goals."""

    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("case_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("training_cases.id", ondelete="CASCADE"),
                                         index=True)
    code: Mapped[str] = mapped_column(String(32))
    problem_area: Mapped[str] = mapped_column(String(32))
    goals: Mapped[str] = mapped_column(Text, default="")


class GroupAttendance(db.Model):
    """A member's attendance at a group session, with their measure totals."""

    __tablename__ = "group_attendance"
    __table_args__ = (UniqueConstraint("session_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("case_sessions.id", ondelete="CASCADE"),
                                            index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("group_members.id", ondelete="CASCADE"))
    present: Mapped[bool] = mapped_column(default=False)
    measures: Mapped[dict] = mapped_column(JSON, default=dict)
