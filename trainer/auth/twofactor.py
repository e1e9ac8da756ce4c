"""Optional TOTP two-factor sign-in (RFC 6238, pyotp): enrolment, codes accepted once, and
the organisation rule that supervisors and admins must use it."""

import time

import pyotp
import segno
from cryptography.fernet import InvalidToken
from flask import current_app
from sqlalchemy import select, update

from trainer.audit.services import record
from trainer.auth.models import ApiToken, User
from trainer.encryption import fernet
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.orgs.models import Membership, Organisation
from trainer.timeutil import utcnow

ISSUER = "IPT Trainer"
STAFF_ROLES = ("supervisor", "admin")


def _fernet():
    return fernet(current_app.config["SECRET_KEY"], b"ipt-trainer totp secrets")


def seal(secret: str) -> str:
    """A TOTP secret encrypted for storage (or for the session during enrolment)."""
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no external image, no data: URL)."""
    return segno.make(uri, error="m").svg_inline(scale=5, title="Scan with your authenticator")


def _step(secret: str, code: str, after: int | None) -> int | None:
    """The time step the code belongs to (this one or one either side), or None; a step at
    or before `after` was already used and is refused."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, now = pyotp.TOTP(secret), int(time.time())
    for offset in (0, -1, 1):
        step = now // totp.interval + offset
        if totp.at(step * totp.interval) == code and (after is None or step > after):
            return step
    return None


def enable(user: User, secret: str, code: str) -> None:
    """Switch TOTP on once the person proves their app shows the right codes."""
    step = _step(secret, code, None)
    if step is None:
        raise DomainError("That code does not match: check the time on your phone and type "
                          "the six digits your app shows now.", field="code")
    user.totp_secret, user.totp_last_step, user.totp_enabled_at = seal(secret), step, utcnow()
    record(user, "user.two_factor_enabled", target=user)


def check(user: User, code: str) -> bool:
    """A sign-in code: right for now, and not used before (no replay)."""
    secret = unseal(user.totp_secret or "")
    step = _step(secret, code, user.totp_last_step) if secret else None
    if step is None:
        return False
    user.totp_last_step = step
    return True


def disable(user: User) -> None:
    if required_for(user):
        raise DomainError("Your organisation requires two-factor sign-in for your role.",
                          field="code")
    user.totp_secret, user.totp_last_step, user.totp_enabled_at = None, None, None
    record(user, "user.two_factor_disabled", target=user)


def required_for(user: User) -> bool:
    """A supervisor or admin of an organisation that requires a second factor."""
    return db.session.scalar(select(Membership.id).join(Organisation).where(
        Membership.user_id == user.id, Membership.active.is_(True),
        Membership.role.in_(STAFF_ROLES), Organisation.require_two_factor.is_(True))
        .limit(1)) is not None


def set_required(actor: User, organisation: Organisation, required: bool) -> None:
    """The organisation's rule for staff. Turning it on revokes the API tokens of its staff
    who have not enrolled: a token got on the password alone does not outlive the rule."""
    organisation.require_two_factor = required
    if required:
        unenrolled_staff = select(User.id).join(Membership, Membership.user_id == User.id) \
            .where(Membership.organisation_id == organisation.id,
                   Membership.active.is_(True), Membership.role.in_(STAFF_ROLES),
                   User.totp_enabled_at.is_(None))
        db.session.execute(update(ApiToken).where(
            ApiToken.user_id.in_(unenrolled_staff), ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow()))
    record(actor, "organisation.two_factor_required" if required
           else "organisation.two_factor_optional", organisation_id=organisation.id,
           target=organisation)
