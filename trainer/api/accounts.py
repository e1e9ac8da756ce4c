"""API routes for tokens and the caller's own account."""

from flask import g

from trainer.api import bp
from trainer.api.auth import token_required
from trainer.api.common import documented, load
from trainer.api.schemas import Me, TokenRequest, TokenResponse
from trainer.auth import services, twofactor
from trainer.auth.ratelimit import failed_token_limits
from trainer.web.errors import error_response


@bp.post("/tokens")
@failed_token_limits
@documented("Exchange e-mail and password for a bearer token", body=TokenRequest,
            responses={201: TokenResponse, 401: "Wrong credentials",
                       403: "No active role, or a second factor the organisation requires "
                            "and the account has not set up",
                       422: "Missing field", 429: "Too many failed tries"})
def create_token():
    data = load(TokenRequest())
    user = services.authenticate(data["email"], data["password"])
    if user is None:
        return error_response(401, "The e-mail or password is not correct.",
                              code="invalid_credentials")
    if user.totp_enabled_at is not None and not twofactor.check(user, data.get("otp") or ""):
        return error_response(401, "This account signs in with two factors: send the "
                              "current six-digit code from the authenticator app as `otp`.",
                              code="otp_required")
    refusal = token_refusal(user)
    if refusal is not None:
        return refusal
    plain, token = services.issue_api_token(user)
    return TokenResponse().dump({"token": plain, "expires_at": token.expires_at}), 201


@bp.delete("/tokens/current")
@token_required
@documented("Revoke the token used for this request", responses={204: "Revoked"})
def revoke_current_token():
    services.revoke_token(g.api_token)
    return "", 204


@bp.get("/me")
@token_required
@documented("The caller's account and memberships", responses={200: Me})
def me():
    user = g.api_user
    memberships = [{"organisation": m.organisation, "role": m.role}
                   for m in user.memberships if m.active]
    return Me().dump({"id": user.id, "email": user.email, "name": user.name,
                      "memberships": memberships})


def token_refusal(user):
    """Right credentials that still get no token: an account with no active role anywhere
    (every membership switched off), or staff whose organisation requires a second factor
    they have not set up (they enrol on the web first, as the pages make them)."""
    if not user.is_platform_admin and not any(m.active for m in user.memberships):
        return error_response(403, "This account has no active role in any organisation.",
                              code="no_active_membership")
    if user.totp_enabled_at is None and twofactor.required_for(user):
        return error_response(403, "Your organisation requires two-factor sign-in for your "
                              "role: set it up on the web (Account, Two-factor sign-in), "
                              "then ask for a token with the code as `otp`.",
                              code="two_factor_enrolment_required")
    return None
