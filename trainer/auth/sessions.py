"""Flask-Login wiring: session ids carry a version so sign-out ends every session."""

from flask import request
from flask_login import LoginManager
from sqlalchemy.orm import selectinload

from trainer.auth.models import User
from trainer.extensions import db
from trainer.orgs.models import Membership


def configure_login(manager: LoginManager) -> None:
    """Attach the user loader and the sign-in page to the login manager."""
    manager.login_view = "auth.login"
    manager.login_message = "Please sign in to continue."
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.user_loader(load_session_user)


def load_session_user(session_id: str) -> User | None:
    """The signed-in user, if the session's version still matches and the user is active."""
    if request.blueprint == "api":
        return None  # the API authenticates by bearer token only
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id), options=[  # memberships and their
        selectinload(User.memberships).joinedload(Membership.organisation)])  # organisations
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
