"""Bearer-token authentication for the API (the web session is never used here)."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import abort, g
from sqlalchemy.orm.attributes import set_committed_value

from trainer.auth.bearer import bearer_token
from trainer.auth.services import token_caller, token_owner, touch_token
from trainer.timeutil import utcnow

LAST_USED_EVERY = timedelta(minutes=1)



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
            # at most once a minute: no write on every request
            set_committed_value(token, "last_used_at", touch_token(token.id))
        g.api_token, g.api_user = token, token.user
        return view(*args, **kwargs)

    wrapped.token_required = True
    return wrapped


def token_caller_required(view: Callable) -> Callable:
    """token_required for the hottest routes: the same checks (401 unless a live token of an
    active user), but it sets g.api_caller (user id, token id, the organisation where the
    caller is a trainee) read in one query, and no ORM objects."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        plain = bearer_token()
        caller = token_caller(plain) if plain else None
        if caller is None:
            abort(401)
        if caller.last_used_at is None or utcnow() - caller.last_used_at > LAST_USED_EVERY:
            touch_token(caller.token_id)  # at most once a minute, as above
        g.api_caller = caller
        return view(*args, **kwargs)

    wrapped.token_required = True
    return wrapped
