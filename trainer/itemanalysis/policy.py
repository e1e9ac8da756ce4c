"""Who may see item analysis, and whose attempts they get."""

from trainer.auth.models import User
from trainer.orgs.models import Organisation
from trainer.orgs.policy import roles_in


def _platform_admin(user: User) -> bool:
    return bool(getattr(user, "is_platform_admin", False))


def first_administered(user: User) -> Organisation | None:
    """The first organisation where the user is an active admin (the API has no active
    membership to go by)."""
    return next((m.organisation for m in user.memberships if m.active and m.role == "admin"),
                None)


def organisation_in_view(user: User, own: Organisation | None,
                         requested: Organisation | None) -> Organisation | None:
    """Whose attempts: a platform admin gets the organisation asked for (None: every one);
    an organisation admin their own, or the one asked for when they administer it too."""
    if _platform_admin(user):
        return requested
    if requested is not None and "admin" in roles_in(user, requested.id):
        return requested
    return own


def can_analyse(user: User, organisation: Organisation | None) -> bool:
    """Platform admins see any organisation's figures, or all of them (None); organisation
    admins their own organisation's."""
    if _platform_admin(user):
        return True
    return organisation is not None and "admin" in roles_in(user, organisation.id)
