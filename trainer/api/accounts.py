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
            responses={201: TokenResponse, 401: "Wrong credentials", 422: "Missing field",
                       429: "Too many failed tries"})
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
