"""Read-only lookups for organisation pages; each a fixed number of queries."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from trainer.audit.models import AuditEntry
from trainer.auth.models import User
from trainer.extensions import db
from trainer.orgs.models import (
    Cohort,
    CohortMember,
    Invitation,
    Membership,
    SupervisorAssignment,
)


def members(organisation_id: int) -> list[Membership]:
    """Every membership of the organisation with its user, by name."""
    return list(db.session.scalars(
        select(Membership)
        .join(Membership.user)
        .where(Membership.organisation_id == organisation_id)
        .options(joinedload(Membership.user))
        .order_by(User.name, Membership.role)
    ))


def people_with_role(organisation_id: int, role: str) -> list[User]:
    """Active members holding the role, by name."""
    return list(db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation_id, Membership.role == role,
               Membership.active.is_(True))
        .order_by(User.name)
    ))


def role_counts(organisation_id: int) -> dict[str, int]:
    """Active members per role."""
    rows = db.session.execute(
        select(Membership.role, func.count())
        .where(Membership.organisation_id == organisation_id, Membership.active.is_(True))
        .group_by(Membership.role)
    )
    return dict(rows.all())


def open_invitations(organisation_id: int, now) -> list[Invitation]:
    """Invitations not yet accepted, revoked or expired, newest first."""
    return list(db.session.scalars(
        select(Invitation)
        .where(Invitation.organisation_id == organisation_id,
               Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
               Invitation.expires_at > now)
        .order_by(Invitation.created_at.desc())
    ))


def assignments(organisation_id: int) -> list[SupervisorAssignment]:
    """Every supervisor-trainee pair of the organisation."""
    return list(db.session.scalars(
        select(SupervisorAssignment)
        .where(SupervisorAssignment.organisation_id == organisation_id)
        .options(joinedload(SupervisorAssignment.supervisor),
                 joinedload(SupervisorAssignment.trainee))
        .order_by(SupervisorAssignment.id)
    ))


def trainees_of(supervisor_id: int, organisation_id: int) -> list[User]:
    """The trainees a supervisor is assigned to in the organisation, by name."""
    return list(db.session.scalars(
        select(User)
        .join(SupervisorAssignment, SupervisorAssignment.trainee_id == User.id)
        .where(SupervisorAssignment.supervisor_id == supervisor_id,
               SupervisorAssignment.organisation_id == organisation_id)
        .order_by(User.name)
    ))


def supervisors_of(trainee_id: int, organisation_id: int) -> list[User]:
    """The supervisors assigned to a trainee in the organisation, by name."""
    return list(db.session.scalars(
        select(User)
        .join(SupervisorAssignment, SupervisorAssignment.supervisor_id == User.id)
        .where(SupervisorAssignment.trainee_id == trainee_id,
               SupervisorAssignment.organisation_id == organisation_id)
        .order_by(User.name)
    ))


def cohorts(organisation_id: int) -> list[tuple[Cohort, int]]:
    """Cohorts of the organisation with their member counts."""
    rows = db.session.execute(
        select(Cohort, func.count(CohortMember.user_id))
        .outerjoin(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(Cohort.organisation_id == organisation_id)
        .group_by(Cohort.id)
        .order_by(Cohort.name)
    )
    return [(cohort, count) for cohort, count in rows.all()]


def cohort_members(cohort_id: int) -> list[User]:
    """The trainees in a cohort, by name."""
    return list(db.session.scalars(
        select(User).join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort_id).order_by(User.name)
    ))


def cohorts_of(user_id: int, organisation_id: int) -> list[Cohort]:
    """The cohorts a trainee belongs to in the organisation."""
    return list(db.session.scalars(
        select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id, Cohort.organisation_id == organisation_id)
        .order_by(Cohort.name)
    ))


def audit_page(organisation_id: int, page: int, per_page: int):
    """One page of the organisation's audit log, newest first, with the total."""
    base = select(AuditEntry).where(AuditEntry.organisation_id == organisation_id)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    entries = list(db.session.scalars(
        base.options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ))
    return entries, total
