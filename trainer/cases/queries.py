"""Read-only lookups for case pages (fixed query counts)."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.cases.models import (
    CaseSession,
    GroupAttendance,
    GroupMember,
    InventoryPerson,
    SupervisionMeeting,
    TimelineEvent,
    TrainingCase,
)
from trainer.extensions import db
from trainer.orgs.models import SupervisorAssignment


def cases_for(user_id: int, role: str, organisation_id: int) -> list[TrainingCase]:
    """The cases a person sees in an organisation: own, supervised, or all (admins)."""
    query = select(TrainingCase).where(TrainingCase.organisation_id == organisation_id)
    if role == "trainee":
        query = query.where(TrainingCase.trainee_id == user_id)
    elif role == "supervisor":
        trainees = select(SupervisorAssignment.trainee_id).where(
            SupervisorAssignment.supervisor_id == user_id,
            SupervisorAssignment.organisation_id == organisation_id)
        query = query.where(TrainingCase.trainee_id.in_(trainees))
    return list(db.session.scalars(
        query.options(selectinload(TrainingCase.trainee), selectinload(TrainingCase.sessions))
        .order_by(TrainingCase.created_at.desc())))


def case_record(case_id: int) -> dict:
    """Everything the case page shows, each kind in one query."""
    def rows(model, order):
        return list(db.session.scalars(select(model).where(model.case_id == case_id)
                                       .order_by(order)))
    return {
        "inventory": rows(InventoryPerson, InventoryPerson.id),
        "timeline": rows(TimelineEvent, TimelineEvent.id),
        "meetings": rows(SupervisionMeeting, SupervisionMeeting.date),
        "members": rows(GroupMember, GroupMember.code),
        "sessions": list(db.session.scalars(
            select(CaseSession).where(CaseSession.case_id == case_id)
            .options(selectinload(CaseSession.recording)).order_by(CaseSession.number))),
    }


def attendance(session_id: int) -> dict[int, GroupAttendance]:
    """A group session's attendance by member id."""
    return {a.member_id: a for a in db.session.scalars(
        select(GroupAttendance).where(GroupAttendance.session_id == session_id))}
