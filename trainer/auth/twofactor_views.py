"""Two-factor pages: the code step of sign-in, enrolment and switching it off, and the rule
that sends supervisors and admins who must use it to enrol first."""

import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from trainer.auth import twofactor
from trainer.auth.forms import CodeForm, DisableTwoFactorForm
from trainer.auth.models import User
from trainer.auth.passwords import verify_password
from trainer.auth.views import _start_session, bp
from trainer.errors import DomainError
from trainer.extensions import db, limiter
from trainer.web.context import home_endpoint
from trainer.web.forms import show_domain_error
from trainer.web.transaction import keep_on_refusal

PENDING_SECONDS = 300
OPEN_ENDPOINTS = {"auth.two_factor", "auth.logout", "auth.login", "auth.login_code",
                  "web.static", "web.plotly_js", "static"}


def _pending_key() -> str:
    pending = session.get("two_factor") or {}
    return f"2fa:{pending.get('user', get_remote_address())}"


def _failed(response) -> bool:
    return response.status_code not in (302, 303)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", key_func=_pending_key, methods=["POST"],
               deduct_when=_failed, scope="signin-code")
def login_code():
    pending = session.get("two_factor")
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop("two_factor", None)
        flash("Sign in again: the code step waits five minutes at most.", "error")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        user = db.session.get(User, pending["user"])
        if user is not None and user.active and user.session_version == pending["version"] \
                and twofactor.check(user, form.code.data):
            target = pending.get("next")
            _start_session(user)
            return redirect(target or url_for(home_endpoint()), code=303)
        form.code.errors.append("That code is not right, or was already used.")
    return render_template("auth/login_code.html", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    user = current_user._get_current_object()
    if user.totp_enabled_at is not None:
        return _manage(user)
    secret = twofactor.unseal(session.get("totp_setup", "")) or twofactor.new_secret()
    session["totp_setup"] = twofactor.seal(secret)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            twofactor.enable(user, secret, form.code.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            session.pop("totp_setup", None)
            flash("Two-factor sign-in is on: you will be asked for a code at each sign-in.",
                  "success")
            return redirect(url_for(home_endpoint()), code=303)
    uri = twofactor.provisioning_uri(user, secret)
    return render_template("auth/two_factor.html", form=form, qr=twofactor.qr_svg(uri),
                           secret=secret, required=twofactor.required_for(user))


def _manage(user: User):
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.password.data):
            form.password.errors.append("The password is not correct.")
        elif not twofactor.check(user, form.code.data):
            form.code.errors.append("That code is not right, or was already used.")
        else:
            try:
                twofactor.disable(user)
            except DomainError as error:
                keep_on_refusal()  # the code was right: it stays used, never replayed
                form.code.errors.append(error.message)
            else:
                flash("Two-factor sign-in is off.", "success")
                return redirect(url_for("auth.two_factor"), code=303)
    return render_template("auth/two_factor_on.html", form=form,
                           required=twofactor.required_for(user))


@bp.before_app_request
def enrolment_required():
    """Supervisors and admins of an organisation that requires a second factor enrol first."""
    if request.endpoint in OPEN_ENDPOINTS or request.path.startswith("/api/") \
            or not current_user.is_authenticated or current_user.totp_enabled_at is not None:
        return None
    staff = any(m.active and m.role in twofactor.STAFF_ROLES for m in current_user.memberships)
    if staff and twofactor.required_for(current_user):
        flash("Your organisation requires two-factor sign-in for supervisors and admins: "
              "set it up to continue.", "error")
        return redirect(url_for("auth.two_factor"))
    return None
