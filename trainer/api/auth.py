"""Bearer-token authentication for the API (the web session is never used here)."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import abort, g, request

from trainer.auth.services import token_owner
from trainer.timeutil import utcnow

LAST_USED_EVERY = timedelta(minutes=1)


def bearer_token() -> str | None:
    """The token from `Authorization: Bearer <token>`, if present."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def token_required(view: Callable) -> Callable:
    """401 unless a live bearer token is sent; sets g.api_user and g.api_token."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        plain = bearer_token()
        token = token_owner(plain) if plain else None
        if token is None:
            abort(401)
        now = utcnow()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            token.last_used_at = now  # at most once a minute: no write on every request
        g.api_token, g.api_user = token, token.user
        return view(*args, **kwargs)

    wrapped.token_required = True
    return wrapped
