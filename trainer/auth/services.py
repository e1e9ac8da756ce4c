"""Account state changes: sign-in checks, passwords, sessions and API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from trainer.audit.services import record
from trainer.auth.models import ApiToken, User
from trainer.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from trainer.dataversion import CONTENT_SCOPE, person_changed_everywhere, version_of
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.orgs.models import Membership
from trainer.timeutil import utcnow


def normalise_email(raw: str) -> str:
    """The canonical form of an e-mail address, or DomainError when it is malformed."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(f"'{raw}' is not a valid e-mail address.", field="email") from exc


def find_user_by_email(email: str) -> User | None:
    """The user with this e-mail (case-insensitive), if any."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(email: str, name: str, password: str) -> User:
    """A new active account; refuses a taken e-mail or a weak password."""
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise DomainError("A name is required.", field="name")
    if find_user_by_email(email) is not None:
        raise DomainError(f"An account with the e-mail {email} already exists.", field="email")
    problem = password_problem(password, user_inputs=(email, name))
    if problem:
        raise DomainError(problem, field="password")
    user = User(email=email, name=name, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for an unknown account)."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def end_all_sessions(user: User) -> None:
    """Invalidate every web session of the user (they carry the old version)."""
    user.session_version += 1


def set_account_active(actor, user: User, active: bool) -> bool:
    """Lock or unlock the whole account (every membership stays as it is). Locking ends
    every web session and revokes every API token at once; the derived pages that show the
    person are rebuilt. False when it already was so (nothing is written)."""
    if user.active == active:
        return False
    user.active = active
    if not active:
        end_all_sessions(user)
        revoke_all_tokens(user)
    record(actor, "account.activated" if active else "account.deactivated", target=user,
           email=user.email)
    person_changed_everywhere(user.id)
    return True


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends every other session."""
    if not verify_password(user.password_hash, current):
        raise DomainError("The current password is not correct.", field="current_password")
    problem = password_problem(new, user_inputs=(user.email, user.name))
    if problem:
        raise DomainError(problem, field="new_password")
    set_password(user, new)
    record(user, "password.changed", target=user)


def set_password(user: User, new: str) -> None:
    """Store a new hash, end every session and revoke the user's API tokens."""
    user.password_hash = hash_password(new)
    end_all_sessions(user)
    revoke_all_tokens(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User) -> tuple[str, ApiToken]:
    """A new bearer token; the plain value is returned once and only its digest is kept."""
    plain = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        token_hash=_digest(plain),
        expires_at=utcnow() + current_app.config["API_TOKEN_LIFETIME"],
    )
    db.session.add(token)
    db.session.flush()
    return plain, token


def token_owner(plain: str, now: datetime | None = None) -> ApiToken | None:
    """The live token with this value (not revoked, not expired, user active), if any."""
    now = now or utcnow()
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _digest(plain)).options(  # the caller's
            joinedload(ApiToken.user).joinedload(User.memberships)  # roles, in one query
            .joinedload(Membership.organisation))).unique().first()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    if not token.user.active:
        return None
    return token


@dataclass(frozen=True)
class TokenCaller:
    """Who a live token speaks for, without loading them: see token_caller."""

    token_id: int
    user_id: int
    last_used_at: datetime | None
    trainee_organisation_id: int | None  # the first active trainee membership's
    content_version: int | None  # read in the same query: see vignettes.queries.vignette_ref


_CALLER = select(  # built once: only the digest changes
    ApiToken.id, ApiToken.user_id, ApiToken.last_used_at, ApiToken.expires_at,
    ApiToken.revoked_at, User.active,
    select(Membership.organisation_id).where(
        Membership.user_id == User.id, Membership.active.is_(True),
        Membership.role == "trainee").order_by(Membership.id).limit(1)
    .scalar_subquery().label("trainee_organisation_id"),
    version_of(CONTENT_SCOPE).label("content_version"),
).join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == bindparam("digest"))


def token_caller(plain: str, now: datetime | None = None) -> TokenCaller | None:
    """token_owner's checks (not revoked, not expired, user active) in one row, with the
    organisation where the caller is a trainee (the API's first active trainee membership,
    as trainer.api.modules.trainee_membership picks it)."""
    now = now or utcnow()
    # Through the session's connection: a Core statement needs none of the ORM's execution.
    row = db.session.connection().execute(_CALLER, {"digest": _digest(plain)}).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.active:
        return None
    return TokenCaller(row.id, row.user_id, row.last_used_at, row.trainee_organisation_id,
                       row.content_version)


def touch_token(token_id: int) -> datetime:
    """Record the token's last use in its own short transaction, outside the request's: a
    GET stays read-only, and a request that fails still counts as a use."""
    now = utcnow()
    with db.engine.begin() as connection:
        connection.execute(update(ApiToken).where(ApiToken.id == token_id)
                           .values(last_used_at=now))
    return now


def revoke_token(token: ApiToken) -> None:
    """Revoke one API token."""
    token.revoked_at = token.revoked_at or utcnow()


def revoke_all_tokens(user: User) -> None:
    """Revoke every live API token of the user."""
    now = utcnow()
    for token in db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ):
        token.revoked_at = now
