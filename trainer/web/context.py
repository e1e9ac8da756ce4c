"""The role context of a signed-in person: which membership (organisation + role) is active."""

from flask import g, session
from flask_login import current_user

from trainer.orgs.models import Membership

HOME_ENDPOINTS = {"trainee": "home.trainee", "supervisor": "home.supervisor",
                  "admin": "home.admin"}
ROLE_ORDER = {"admin": 0, "supervisor": 1, "trainee": 2}


def active_memberships(user) -> list[Membership]:
    """The user's active memberships, admin first, then supervisor, then trainee."""
    return sorted(
        (m for m in user.memberships if m.active),
        key=lambda m: (m.organisation_id, ROLE_ORDER[m.role], m.id),
    )


def current_membership() -> Membership | None:
    """The membership the user is working in now (kept in the session), or their first."""
    if not current_user.is_authenticated:
        return None
    if "membership" in g:
        return g.membership
    memberships = active_memberships(current_user)
    chosen = next((m for m in memberships if m.id == session.get("membership_id")), None)
    g.membership = chosen or (memberships[0] if memberships else None)
    return g.membership


def select_membership(membership: Membership) -> None:
    """Make this membership the active one for the rest of the session."""
    session["membership_id"] = membership.id
    g.membership = membership


def home_endpoint() -> str:
    """Where the signed-in user belongs: their role's home, or the platform or no-role page."""
    membership = current_membership()
    if membership is not None:
        return HOME_ENDPOINTS[membership.role]
    if current_user.is_platform_admin:
        return "orgs.platform"
    return "home.no_role"


def inject_context() -> dict:
    """Template globals: the active membership, the others to switch to, the CSP nonce."""
    membership = current_membership()
    others = []
    if membership is not None:
        others = [m for m in active_memberships(current_user) if m.id != membership.id]
    return {
        "membership": membership,
        "other_memberships": others,
        "csp_nonce": g.get("csp_nonce", ""),
    }
