"""Curriculum state changes: reading sections and submitting knowledge checks."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer.content.models import Module
from trainer.curriculum.checks import (
    DEFAULT_COOLDOWN_MINUTES,
    score_check,
    validate_check_answers,
)
from trainer.curriculum.models import ModuleAttempt, SectionRead
from trainer.curriculum.queries import latest_attempt, progress_by_module
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.scoring.presentation import check_presentation
from trainer.timeutil import utcnow


class Locked(DomainError):
    """The module's prerequisites are not passed yet."""

    status = 403
    code = "locked"


class CoolingDown(DomainError):
    """A failed check is retaken only after the module's cool-down."""

    status = 409
    code = "cooldown"


class StaleCheck(DomainError):
    """The form was drawn for an attempt that has since been submitted."""

    status = 409
    code = "stale_check"


def next_check_number(user_id: int, organisation_id: int, module: Module) -> int:
    """The number the trainee's next check attempt at the module will have (1 first)."""
    progress = progress_by_module(user_id, organisation_id).get(module.key)
    return (progress.attempts if progress else 0) + 1


def presentation(user_id: int, organisation_id: int, module: Module,
                 number: int) -> dict[str, list[str]]:
    """Question id -> option ids, in the order attempt `number` asks and shows them."""
    return check_presentation(module.data["check"], current_app.config["SECRET_KEY"], user_id,
                              organisation_id, module.key, number)


def retake_at(user_id: int, organisation_id: int, module: Module) -> datetime | None:
    """When a trainee whose last attempt failed may retake the check (None: now)."""
    last = latest_attempt(user_id, organisation_id, module.key)
    if last is None or last.passed:
        return None
    minutes = module.data["check"].get("cooldown_minutes", DEFAULT_COOLDOWN_MINUTES)
    ready = last.submitted_at + timedelta(minutes=minutes)
    return ready if ready > utcnow() else None


def record_section_read(user, organisation_id: int, module: Module, index: int) -> None:
    """Remember that the trainee opened a section (once)."""
    exists = db.session.scalar(select(SectionRead.id).where(
        SectionRead.user_id == user.id, SectionRead.organisation_id == organisation_id,
        SectionRead.module_key == module.key, SectionRead.section == index))
    if exists is None:
        try:
            with db.session.begin_nested():
                db.session.add(SectionRead(user_id=user.id, organisation_id=organisation_id,
                                           module_key=module.key, section=index))
        except IntegrityError:
            pass  # a parallel request recorded it first


def check_unlocked(user, organisation_id: int, module: Module) -> None:
    """Locked (403) unless every prerequisite is passed."""
    progress = progress_by_module(user.id, organisation_id)
    missing = [key for key in module.data["prerequisites"]
               if not (progress.get(key) and progress[key].passed)]
    if missing:
        raise Locked("Pass the prerequisite modules first: " + ", ".join(missing) + ".")


def submit_check(user, organisation_id: int, module: Module, answers: object,
                 submission_key: str, number: int | None = None) -> tuple[ModuleAttempt, bool]:
    """Score and store one attempt on the questions its draw asks; the same submission key
    returns the first attempt. `number`, from a form, must still be the next attempt's."""
    existing = _attempt_by_key(user.id, submission_key)
    if existing is not None:
        return existing, False
    check_unlocked(user, organisation_id, module)
    _check_ready(user, organisation_id, module)
    expected = next_check_number(user.id, organisation_id, module)
    if number is not None and number != expected:
        raise StaleCheck("This check was submitted from another page in the meantime; "
                         "here is a fresh draw of questions.")
    check = module.data["check"]
    presented = presentation(user.id, organisation_id, module, expected)
    normalised = validate_check_answers(check, answers, list(presented))
    result = score_check(check, normalised)
    attempt = ModuleAttempt(
        user_id=user.id, organisation_id=organisation_id, module_id=module.id,
        module_key=module.key, module_version=module.version, answers=normalised,
        presented=presented, results={q.id: q.correct for q in result.questions},
        score=result.score, passed=result.passed, submission_key=submission_key)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        return _attempt_by_key(user.id, submission_key), False
    return attempt, True


def attempt_by_key(user_id: int, key: str) -> ModuleAttempt | None:
    """The attempt stored under a submission key (a repeated submit finds the first)."""
    return _attempt_by_key(user_id, key)


def _check_ready(user, organisation_id: int, module: Module) -> None:
    ready = retake_at(user.id, organisation_id, module)
    if ready is not None:
        raise CoolingDown(f"You can retake this check from {ready:%H:%M} UTC: take the time "
                          "to reread the sections you missed.")


def _attempt_by_key(user_id: int, key: str) -> ModuleAttempt | None:
    return db.session.scalar(select(ModuleAttempt).where(
        ModuleAttempt.user_id == user_id, ModuleAttempt.submission_key == key))
