"""Route guards: role checks against the active membership and organisation-scoped loading."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from trainer.extensions import db
from trainer.web.context import current_membership


def role_required(*roles: str) -> Callable:
    """Signed in, and working in an organisation with one of these roles; else 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            membership = current_membership()
            if membership is None or membership.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def platform_admin_required(view: Callable) -> Callable:
    """Only platform admins (who operate the whole instance)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_platform_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def load_or_404(model, object_id, *, organisation_id: int | None = None):
    """The object, or 404 when it does not exist or belongs to another organisation."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    if organisation_id is not None and obj.organisation_id != organisation_id:
        abort(404)
    return obj


def authorise(allowed: bool) -> None:
    """403 unless allowed (for objects the caller may see but not act on)."""
    if not allowed:
        abort(403)
