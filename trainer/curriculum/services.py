"""Curriculum state changes: reading sections and submitting knowledge checks."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer.content.models import Module
from trainer.curriculum.checks import score_check, validate_check_answers
from trainer.curriculum.models import ModuleAttempt, SectionRead
from trainer.curriculum.queries import progress_by_module
from trainer.errors import DomainError
from trainer.extensions import db


class Locked(DomainError):
    """The module's prerequisites are not passed yet."""

    status = 403
    code = "locked"


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
                 submission_key: str) -> tuple[ModuleAttempt, bool]:
    """Score and store one attempt; the same submission key returns the first attempt."""
    existing = _attempt_by_key(user.id, submission_key)
    if existing is not None:
        return existing, False
    check_unlocked(user, organisation_id, module)
    check = module.data["check"]
    normalised = validate_check_answers(check, answers)
    result = score_check(check, normalised)
    attempt = ModuleAttempt(
        user_id=user.id, organisation_id=organisation_id, module_id=module.id,
        module_key=module.key, module_version=module.version, answers=normalised,
        results={q.id: q.correct for q in result.questions}, score=result.score,
        passed=result.passed, submission_key=submission_key)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        return _attempt_by_key(user.id, submission_key), False
    return attempt, True


def _attempt_by_key(user_id: int, key: str) -> ModuleAttempt | None:
    return db.session.scalar(select(ModuleAttempt).where(
        ModuleAttempt.user_id == user_id, ModuleAttempt.submission_key == key))
