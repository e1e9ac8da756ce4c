"""Curriculum pages: catalogue, module, sections, knowledge check, results, progress."""

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.auth.models import User
from trainer.curriculum import queries, services
from trainer.curriculum.checks import (
    asked_questions,
    public_question,
    question_feedback,
    reveals_key,
)
from trainer.curriculum.forms import answers_from, check_form, field_name
from trainer.curriculum.models import ModuleAttempt
from trainer.curriculum.policy import can_view_progress
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.orgs.policy import is_member
from trainer.web.context import current_membership
from trainer.web.converters import db_int
from trainer.web.forms import show_domain_error
from trainer.web.guards import role_required
from trainer.web.transaction import keep_access_record

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
        keep_access_record()
    return render_template("curriculum/section.html", module=entry.module, number=number,
                           section=sections[number - 1], total=len(sections))


@bp.route("/<key>/check", methods=["GET", "POST"])
@role_required("trainee")
def check(key: str):
    entry = _entry_or_404(key)
    if entry.locked:
        flash("Pass the prerequisite modules first: " + ", ".join(entry.missing) + ".", "error")
        return redirect(url_for("curriculum.module", key=key))
    module, org_id = entry.module, current_membership().organisation_id
    done = services.attempt_by_key(current_user.id, request.form.get("submission_key", ""))
    if done is not None:  # a second click: show the first result
        return redirect(url_for("curriculum.attempt", attempt_id=done.id), code=303)
    ready = services.retake_at(current_user.id, org_id, module)
    if ready is not None:
        return render_template("curriculum/check_wait.html", module=module, ready=ready)
    number = services.next_check_number(current_user.id, org_id, module)
    if request.method == "POST" and _form_number(request.form.get("attempt_number"),
                                                 number) != number:
        flash("This check was submitted from another page in the meantime; here is a fresh "
              "draw of questions.", "info")
        return redirect(url_for("curriculum.check", key=key), code=303)
    presented = services.presentation(current_user.id, org_id, module, number)
    questions = [public_question(q, presented[q["id"]])
                 for q in asked_questions(module.data["check"], list(presented))]
    form = check_form(questions)
    if form.validate_on_submit():
        try:
            attempt, _ = services.submit_check(
                current_user, org_id, module, answers_from(form, questions),
                form.submission_key.data or secrets.token_hex(16), number=number)
        except DomainError as exc:
            show_domain_error(None, exc)
            return redirect(url_for("curriculum.check", key=key), code=303)
        return redirect(url_for("curriculum.attempt", attempt_id=attempt.id), code=303)
    form.submission_key.data = form.submission_key.data or secrets.token_hex(16)
    form.attempt_number.data = str(number)
    fields = [(q, getattr(form, field_name(q["id"]))) for q in questions]
    return render_template("curriculum/check.html", module=module, form=form, fields=fields)


def _form_number(text: str | None, default: int) -> int:
    """The attempt number the form was drawn for (the current one when it carries none)."""
    try:
        return db_int(text or "")
    except ValueError:
        return default


@bp.route("/attempts/<int:attempt_id>")
@role_required(*ANY_ROLE)
def attempt(attempt_id: int):
    attempt = db.session.get(ModuleAttempt, attempt_id)
    trainee = db.session.get(User, attempt.user_id) if attempt else None
    if attempt is None or not is_member(current_user, attempt.organisation_id):
        abort(404)
    if not can_view_progress(current_user, trainee, attempt.organisation_id):
        abort(404)
    check = attempt.module.data["check"]
    reveal = trainee.id != current_user.id or reveals_key(check, queries.has_passed(
        trainee.id, attempt.organisation_id, attempt.module_key))
    orders = attempt.presented or {}
    shown = [(question, attempt.results.get(question["id"]),
              question_feedback(question, attempt.answers[question["id"]],
                                orders.get(question["id"]), reveal))
             for question in asked_questions(check, list(attempt.answers))]
    ready = services.retake_at(trainee.id, attempt.organisation_id, attempt.module) \
        if trainee.id == current_user.id else None
    return render_template("curriculum/attempt.html", attempt=attempt, trainee=trainee,
                           shown=shown, reveal=reveal, ready=ready, module=attempt.module)


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
