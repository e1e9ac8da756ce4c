"""Organisation state changes: organisations, memberships, assignments, cohorts, invitations."""

import hashlib
import re
import secrets

from flask import current_app
from sqlalchemy import select

from trainer.audit.services import record
from trainer.auth.models import User
from trainer.auth.services import (
    create_user,
    end_all_sessions,
    find_user_by_email,
    normalise_email,
    revoke_all_tokens,
)
from trainer.certificates.keys import create_key
from trainer.dataversion import organisation_changed
from trainer.errors import Conflict, DomainError
from trainer.extensions import db
from trainer.orgs.models import (
    ROLES,
    Cohort,
    CohortMember,
    Invitation,
    Membership,
    Organisation,
    SupervisorAssignment,
)
from trainer.timeutil import utcnow

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def find_organisation(slug: str) -> Organisation | None:
    """The organisation with this slug, if any."""
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def create_organisation(actor: User | None, slug: str, name: str) -> Organisation:
    """A new training organisation; the slug must be new and well formed."""
    slug, name = slug.strip(), name.strip()
    if not SLUG_RE.match(slug):
        raise DomainError(
            "A slug is 1 to 64 lower-case letters, digits and '-', not starting or "
            "ending with '-'.",
            field="slug",
        )
    if not name:
        raise DomainError("A name is required.", field="name")
    if find_organisation(slug) is not None:
        raise Conflict(f"An organisation with the slug '{slug}' already exists.", field="slug")
    organisation = Organisation(slug=slug, name=name)
    db.session.add(organisation)
    db.session.flush()
    create_key(organisation.id)
    record(actor, "organisation.created", organisation_id=organisation.id, target=organisation)
    return organisation


def check_role(role: str) -> str:
    """The role, or DomainError when it is not one of the three."""
    if role not in ROLES:
        raise DomainError(f"Unknown role '{role}': use trainee, supervisor or admin.", field="role")
    return role


def add_membership(actor: User | None, user: User, organisation: Organisation, role: str):
    """Give the user a role in the organisation (reactivating it if it was switched off)."""
    check_role(role)
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == organisation.id,
            Membership.role == role,
        )
    )
    if membership is not None and membership.active:
        return membership  # nothing changes, nothing to audit
    if membership is None:
        membership = Membership(user=user, organisation=organisation, role=role)
        db.session.add(membership)
    membership.active = True
    db.session.flush()
    record(actor, "membership.added", organisation_id=organisation.id, target=membership,
           user=user.email, role=role)
    organisation_changed(organisation.id)
    return membership


def set_membership_active(actor: User, membership: Membership, active: bool) -> None:
    """Switch a membership on or off; switching off ends the person's sessions and tokens."""
    if membership.user_id == actor.id and not active:
        raise DomainError("You cannot deactivate your own membership.")
    membership.active = active
    if not active:
        end_all_sessions(membership.user)
        revoke_all_tokens(membership.user)
    record(actor, "membership.activated" if active else "membership.deactivated",
           organisation_id=membership.organisation_id, target=membership,
           user=membership.user.email, role=membership.role)
    organisation_changed(membership.organisation_id)


def _require_role(user: User, organisation: Organisation, role: str) -> None:
    held = any(
        m.organisation_id == organisation.id and m.role == role and m.active
        for m in user.memberships
    )
    if not held:
        raise DomainError(f"{user.email} is not a {role} of {organisation.name}.", field=role)


def assign_supervisor(actor, organisation: Organisation, supervisor: User, trainee: User):
    """Make the supervisor responsible for the trainee (idempotent)."""
    _require_role(supervisor, organisation, "supervisor")
    _require_role(trainee, organisation, "trainee")
    if supervisor.id == trainee.id:
        raise DomainError("A person cannot supervise themselves.", field="supervisor")
    assignment = db.session.scalar(
        select(SupervisorAssignment).where(
            SupervisorAssignment.organisation_id == organisation.id,
            SupervisorAssignment.supervisor_id == supervisor.id,
            SupervisorAssignment.trainee_id == trainee.id,
        )
    )
    if assignment is None:
        assignment = SupervisorAssignment(
            organisation_id=organisation.id, supervisor=supervisor, trainee=trainee
        )
        db.session.add(assignment)
        db.session.flush()
        record(actor, "supervisor.assigned", organisation_id=organisation.id, target=assignment,
               supervisor=supervisor.email, trainee=trainee.email)
        organisation_changed(organisation.id)
    return assignment


def remove_assignment(actor: User, assignment: SupervisorAssignment) -> None:
    """End a supervisor-trainee assignment."""
    record(actor, "supervisor.unassigned", organisation_id=assignment.organisation_id,
           target=assignment, supervisor=assignment.supervisor.email,
           trainee=assignment.trainee.email)
    db.session.delete(assignment)
    organisation_changed(assignment.organisation_id)


def create_cohort(actor: User, organisation: Organisation, name: str) -> Cohort:
    """A new, empty cohort with a name unique in the organisation."""
    name = name.strip()
    if not name:
        raise DomainError("A name is required.", field="name")
    exists = db.session.scalar(
        select(Cohort).where(Cohort.organisation_id == organisation.id, Cohort.name == name)
    )
    if exists is not None:
        raise Conflict(f"A cohort named '{name}' already exists.", field="name")
    cohort = Cohort(organisation_id=organisation.id, name=name)
    db.session.add(cohort)
    db.session.flush()
    record(actor, "cohort.created", organisation_id=organisation.id, target=cohort, name=name)
    organisation_changed(organisation.id)
    return cohort


def add_to_cohort(actor: User, cohort: Cohort, trainee: User) -> None:
    """Put a trainee of the cohort's organisation into the cohort (idempotent)."""
    organisation = db.session.get(Organisation, cohort.organisation_id)
    _require_role(trainee, organisation, "trainee")
    if db.session.get(CohortMember, (cohort.id, trainee.id)) is None:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id))
        record(actor, "cohort.member_added", organisation_id=cohort.organisation_id,
               target=cohort, trainee=trainee.email)
        organisation_changed(cohort.organisation_id)


def remove_from_cohort(actor: User, cohort: Cohort, trainee_id: int) -> None:
    """Take a trainee out of a cohort."""
    member = db.session.get(CohortMember, (cohort.id, trainee_id))
    if member is not None:
        db.session.delete(member)
        record(actor, "cohort.member_removed", organisation_id=cohort.organisation_id,
               target=cohort, trainee_id=trainee_id)
        organisation_changed(cohort.organisation_id)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(actor: User, organisation: Organisation, email: str, role: str,
                      name: str = "") -> tuple[str, Invitation]:
    """A single-use, expiring invitation; the plain token is returned once, for the link."""
    email = normalise_email(email)
    check_role(role)
    plain = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation_id=organisation.id,
        email=email,
        name=name.strip(),
        role=role,
        token_hash=_digest(plain),
        created_by_id=actor.id,
        expires_at=utcnow() + current_app.config["INVITATION_LIFETIME"],
    )
    db.session.add(invitation)
    db.session.flush()
    record(actor, "invitation.created", organisation_id=organisation.id, target=invitation,
           email=email, role=role)
    return plain, invitation


def find_open_invitation(plain: str) -> Invitation | None:
    """The invitation with this token if it can still be accepted."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _digest(plain))
    )
    if invitation is None or not invitation.is_open(utcnow()):
        return None
    return invitation


def revoke_invitation(actor: User, invitation: Invitation) -> None:
    """Withdraw an invitation that has not been accepted."""
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has already been accepted.")
    invitation.revoked_at = invitation.revoked_at or utcnow()
    record(actor, "invitation.revoked", organisation_id=invitation.organisation_id,
           target=invitation, email=invitation.email)


def accept_invitation_as_new_account(invitation: Invitation, *, name: str,
                                     password: str) -> User:
    """Join the organisation with a new account. An address that already has an account
    joins only from a normal sign-in as that account (accept_invitation), so that its
    sign-in limits and second factor apply."""
    if find_user_by_email(invitation.email) is not None:
        raise DomainError("This invitation cannot create a new account. If you already have "
                          "an account with this address, sign in first and open the link "
                          "again.")
    return _claim(invitation, create_user(invitation.email, name, password))


def accept_invitation(invitation: Invitation, user: User) -> User:
    """Join the organisation as the signed-in account the invitation was sent to."""
    if user.email != invitation.email:
        raise DomainError(f"This invitation is for {invitation.email}: sign in as that "
                          "account to accept it.")
    return _claim(invitation, user)


def _claim(invitation: Invitation, user: User) -> User:
    # Claim the invitation before anything else so a second, concurrent accept fails.
    claimed = db.session.execute(
        db.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by_id=user.id)
    ).rowcount
    if claimed != 1:
        raise Conflict("This invitation has already been used.")
    add_membership(user, user, invitation.organisation, invitation.role)
    record(user, "invitation.accepted", organisation_id=invitation.organisation_id,
           target=invitation, email=user.email, role=invitation.role)
    return user
