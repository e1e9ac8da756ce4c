"""Failed sign-in limits (API spec): 10 per account per 15 minutes, 30 per address per minute.

Only failed tries count (`deduct_when`), so a person who signs in correctly is never held
back by their own successes.
"""

from flask import request
from flask_limiter.util import get_remote_address

from trainer.extensions import limiter


def _account_key() -> str:
    if request.is_json:
        try:
            data = request.get_json(silent=True)
        except RecursionError:  # the route answers 400 for such a body
            data = None
        email = data.get("email") if isinstance(data, dict) else None
    else:
        email = request.form.get("email")
    return f"account:{str(email or '').strip().lower()}"


def _form_failed(response) -> bool:
    return response.status_code not in (302, 303)


def _token_failed(response) -> bool:
    return response.status_code == 401


def _stack(deduct_when):
    def decorate(view):
        view = limiter.limit("10 per 15 minutes", key_func=_account_key, methods=["POST"],
                             deduct_when=deduct_when, scope="signin-account")(view)
        return limiter.limit("30 per minute", key_func=get_remote_address, methods=["POST"],
                             deduct_when=deduct_when, scope="signin-address")(view)
    return decorate


failed_signin_limits = _stack(_form_failed)
failed_token_limits = _stack(_token_failed)
