"""Sign-in, sign-out, password change and invitation acceptance pages."""

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from trainer.audit.services import record
from trainer.auth import services
from trainer.auth.forms import AcceptNewForm, ChangePasswordForm, LoginForm
from trainer.auth.ratelimit import failed_signin_limits
from trainer.errors import DomainError
from trainer.orgs.services import (
    accept_invitation,
    accept_invitation_as_new_account,
    find_open_invitation,
)
from trainer.web.context import home_endpoint, select_membership
from trainer.web.forms import ActionForm, show_domain_error
from trainer.web.transaction import discard

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
@failed_signin_limits
def login():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint()))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and user.totp_enabled_at is not None:
            discard()  # nothing is recorded until the code is right
            return _code_step(user, _safe_next())
        if user is not None:
            _start_session(user)
            return redirect(_safe_next() or url_for(home_endpoint()), code=303)
        form.password.errors.append("The e-mail or password is not correct.")
    return render_template("auth/login.html", form=form)


def _code_step(user, target: str | None):
    """A right password for someone with a second factor: ask for the code next (the
    session holds only who is half-way, for five minutes)."""
    session.clear()
    session["two_factor"] = {"user": user.id, "version": user.session_version,
                             "at": int(time.time()), "next": target}
    return redirect(url_for("auth.login_code"), code=303)


def _start_session(user) -> None:
    session.clear()  # a fresh session on sign-in (no fixation)
    login_user(user)
    session.permanent = True
    record(user, "user.signed_in", target=user)


def _safe_next() -> str | None:
    """A path on this site to return to after sign-in; None for anything else. Control
    characters and spaces are refused too: browsers drop tabs and newlines inside a URL, so
    "/<tab>/evil.example" would arrive as "//evil.example", another site."""
    target = request.args.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and not any(ord(ch) <= 32 or ord(ch) == 127 for ch in target):
        return target
    return None


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.end_all_sessions(current_user)
    logout_user()
    session.clear()
    flash("You are signed out.", "success")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data,
                                     form.new_password.data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            # This session takes the new version; every other session ends.
            login_user(current_user._get_current_object())
            flash("Your password was changed. Other sessions were signed out.", "success")
            return redirect(url_for(home_endpoint()), code=303)
    return render_template("auth/change_password.html", form=form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept(token: str):
    """An invitation: the same page whether or not its address has an account. A new
    person creates the account here; an existing account signs in first (through the
    normal sign-in, its limits and second factor) and then joins with one button."""
    invitation = find_open_invitation(token)
    if invitation is None:
        return render_template("auth/invite_invalid.html"), 404
    if current_user.is_authenticated:
        return _accept_signed_in(invitation)
    form = AcceptNewForm(name=invitation.name or None)
    if form.validate_on_submit():
        try:
            user = accept_invitation_as_new_account(invitation, name=form.name.data,
                                                    password=form.password.data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            _start_session(user)
            return _joined(invitation, user)
    return render_template("auth/accept.html", form=form, invitation=invitation)


def _accept_signed_in(invitation):
    form = ActionForm()
    for_me = current_user.email == invitation.email
    if for_me and form.validate_on_submit():
        try:
            user = accept_invitation(invitation, current_user._get_current_object())
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            return _joined(invitation, user)
    return render_template("auth/accept_signed_in.html", form=form, invitation=invitation,
                           for_me=for_me)


def _joined(invitation, user):
    select_membership(next(m for m in user.memberships
                           if m.organisation_id == invitation.organisation_id
                           and m.role == invitation.role))
    flash(f"Welcome to {invitation.organisation.name}.", "success")
    return redirect(url_for(home_endpoint()), code=303)


from trainer.auth import twofactor_views  # noqa: E402,F401  (routes on this blueprint)
