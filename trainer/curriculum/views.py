"""Curriculum pages: catalogue, module, sections, knowledge check, results, progress."""

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from trainer.auth.models import User
from trainer.curriculum import queries, services
from trainer.curriculum.checks import public_question
from trainer.curriculum.forms import answers_from, check_form, field_name
from trainer.curriculum.models import ModuleAttempt
from trainer.curriculum.policy import can_view_progress
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.orgs.policy import is_member
from trainer.web.context import current_membership
from trainer.web.guards import role_required

bp = Blueprint("curriculum", __name__, template_folder="templates", url_prefix="/modules")
ANY_ROLE = ("trainee", "supervisor", "admin")


def _trainee_id() -> int | None:
    membership = current_membership()
    return current_user.id if membership.role == "trainee" else None


def _entry_or_404(key: str) -> queries.CatalogueEntry:
    membership = current_membership()
    entries = queries.catalogue(_trainee_id(), membership.organisation_id)
    entry = next((e for e in entries if e.module.key == key), None)
    if entry is None:
        abort(404)
    return entry


@bp.route("/")
@role_required(*ANY_ROLE)
def catalogue():
    membership = current_membership()
    entries = queries.catalogue(_trainee_id(), membership.organisation_id)
    core = [e for e in entries if e.module.core]
    passed = sum(1 for e in core if e.progress.passed)
    return render_template("curriculum/catalogue.html", entries=entries, core_total=len(core),
                           core_passed=passed, is_trainee=_trainee_id() is not None)


@bp.route("/<key>")
@role_required(*ANY_ROLE)
def module(key: str):
    entry = _entry_or_404(key)
    attempts = []
    if _trainee_id():
        attempts = queries.attempts_of(current_user.id, current_membership().organisation_id,
                                       key)
    return render_template("curriculum/module.html", entry=entry, module=entry.module,
                           attempts=attempts, is_trainee=_trainee_id() is not None)


@bp.route("/<key>/sections/<int:number>")
@role_required(*ANY_ROLE)
def section(key: str, number: int):
    entry = _entry_or_404(key)
    sections = entry.module.data["sections"]
    if not 1 <= number <= len(sections) or entry.locked:
        abort(404 if not entry.locked else 403)
    if _trainee_id():
        services.record_section_read(current_user, current_membership().organisation_id,
                                     entry.module, number - 1)
        db.session.commit()
    return render_template("curriculum/section.html", module=entry.module, number=number,
                           section=sections[number - 1], total=len(sections))


@bp.route("/<key>/check", methods=["GET", "POST"])
@role_required("trainee")
def check(key: str):
    entry = _entry_or_404(key)
    if entry.locked:
        flash("Pass the prerequisite modules first: " + ", ".join(entry.missing) + ".", "error")
        return redirect(url_for("curriculum.module", key=key))
    module = entry.module
    questions = module.data["check"]["questions"]
    form = check_form(questions)
    if form.validate_on_submit():
        try:
            attempt, _ = services.submit_check(
                current_user, current_membership().organisation_id, module,
                answers_from(form, questions), form.submission_key.data or secrets.token_hex(16))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            return redirect(url_for("curriculum.attempt", attempt_id=attempt.id), code=303)
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_hex(16)
    fields = [(public_question(q), getattr(form, field_name(i))) for i, q in enumerate(questions)]
    return render_template("curriculum/check.html", module=module, form=form, fields=fields)


@bp.route("/attempts/<int:attempt_id>")
@role_required(*ANY_ROLE)
def attempt(attempt_id: int):
    attempt = db.session.get(ModuleAttempt, attempt_id)
    trainee = db.session.get(User, attempt.user_id) if attempt else None
    if attempt is None or not is_member(current_user, attempt.organisation_id):
        abort(404)
    if not can_view_progress(current_user, trainee, attempt.organisation_id):
        abort(404)
    questions = {q["id"]: q for q in attempt.module.data["check"]["questions"]}
    return render_template("curriculum/attempt.html", attempt=attempt, trainee=trainee,
                           questions=questions, module=attempt.module)


@bp.route("/trainees/<int:user_id>")
@role_required("supervisor", "admin")
def trainee_progress(user_id: int):
    membership = current_membership()
    trainee = db.session.get(User, user_id)
    if trainee is None or "trainee" not in {
            m.role for m in trainee.memberships
            if m.organisation_id == membership.organisation_id and m.active}:
        abort(404)
    if not can_view_progress(current_user, trainee, membership.organisation_id):
        abort(404)  # a trainee who is not theirs
    return render_template(
        "curriculum/trainee_progress.html", trainee=trainee,
        entries=queries.catalogue(trainee.id, membership.organisation_id),
        attempts=queries.attempts_of(trainee.id, membership.organisation_id))
