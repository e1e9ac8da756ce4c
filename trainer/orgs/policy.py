"""Who may see and do what within an organisation: the one place that answers it."""

from trainer.auth.models import User
from trainer.orgs.models import Membership, Organisation


def roles_in(user: User, organisation_id: int) -> set[str]:
    """The active roles the user holds in the organisation."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return {
        m.role for m in user.memberships if m.organisation_id == organisation_id and m.active
    }


def is_member(user: User, organisation_id: int) -> bool:
    """True when the user holds any active role in the organisation (so may see it exists)."""
    return bool(roles_in(user, organisation_id))


def can_manage_org(user: User, organisation: Organisation) -> bool:
    """Organisation admins run their organisation: people, cohorts, assignments, the log."""
    return "admin" in roles_in(user, organisation.id)


def can_see_membership(user: User, membership: Membership) -> bool:
    """Members may know of each other; people of other organisations may not."""
    return is_member(user, membership.organisation_id)


def can_create_organisation(user: User) -> bool:
    """Only platform admins create organisations."""
    return bool(getattr(user, "is_platform_admin", False))


def can_view_trainee(user: User, trainee: User, organisation_id: int, supervisor_ids) -> bool:
    """The trainee, their assigned supervisors and the organisation's admins."""
    if user.id == trainee.id:
        return True
    roles = roles_in(user, organisation_id)
    return "admin" in roles or ("supervisor" in roles and user.id in supervisor_ids)
