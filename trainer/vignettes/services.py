"""Vignette state changes: starting and saving drafts, submitting and scoring attempts."""

import secrets

from flask import current_app
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from trainer.audit.services import record
from trainer.content.models import Vignette
from trainer.dataversion import trainee_changed
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.notifications.services import notify
from trainer.scoring.engine import score_attempt, validate_and_score, validate_answers
from trainer.scoring.presentation import vignette_order
from trainer.timeutil import utcnow
from trainer.vignettes.models import VignetteAttempt, VignetteDraft
from trainer.vignettes.queries import next_attempt_number


def find_draft(user_id: int, organisation_id: int, key: str) -> VignetteDraft | None:
    """The trainee's open draft of a vignette, if any."""
    return db.session.scalar(select(VignetteDraft).where(
        VignetteDraft.user_id == user_id, VignetteDraft.organisation_id == organisation_id,
        VignetteDraft.vignette_key == key))


def next_presentation(user_id: int, organisation_id: int, vignette) -> dict[str, list[str]]:
    """Stage id -> option ids in the order the trainee's next attempt shows them (drawn
    from the secret key, the trainee, the vignette and the attempt's number)."""
    number = next_attempt_number(user_id, organisation_id, vignette.key)
    return vignette_order(vignette.data["stages"], current_app.config["SECRET_KEY"], user_id,
                          organisation_id, vignette.key, number)


def draft_presentation(draft: VignetteDraft) -> dict[str, list[str]]:
    """The order a draft shows its options in (drawn when it was started)."""
    if draft.presented is not None:
        return draft.presented
    return next_presentation(draft.user_id, draft.organisation_id, draft.vignette)


def start_draft(user, organisation_id: int, vignette: Vignette) -> VignetteDraft:
    """The open draft, or a new one on the vignette's current version."""
    draft = find_draft(user.id, organisation_id, vignette.key)
    if draft is not None:
        return draft
    draft = VignetteDraft(user_id=user.id, organisation_id=organisation_id,
                          vignette_id=vignette.id, vignette_key=vignette.key,
                          token=secrets.token_hex(16), answers={},
                          presented=next_presentation(user.id, organisation_id, vignette))
    try:
        with db.session.begin_nested():
            db.session.add(draft)
    except IntegrityError:  # a parallel request started it first
        return find_draft(user.id, organisation_id, vignette.key)
    return draft


def first_unanswered(draft: VignetteDraft) -> int | None:
    """The number of the first stage the draft has no answer for (None: all answered)."""
    return next((number for number, stage in enumerate(draft.vignette.data["stages"], 1)
                 if stage["id"] not in draft.answers), None)


def open_page(draft: VignetteDraft, number: int) -> bool:
    """Note that the trainee has been shown stage `number` (the stage count + 1: the
    review), and with it the reveals of every stage before it. True when that is news."""
    if number <= (draft.opened_through or 0):
        return False
    draft.opened_through = number
    return True


def is_frozen(draft: VignetteDraft, number: int) -> bool:
    """A stage's answer is frozen once a later page of the draft has been opened: what
    followed it has been read, so changing it would answer with hindsight."""
    stage = draft.vignette.data["stages"][number - 1]
    return number < (draft.opened_through or 0) and stage["id"] in draft.answers


def save_stage_answer(draft: VignetteDraft, stage: dict, answer) -> None:
    """Check one stage's answer (as the engine would) and keep it in the draft. Refused
    for a frozen stage."""
    data = draft.vignette.data
    number = next(i for i, s in enumerate(data["stages"], 1) if s["id"] == stage["id"])
    if is_frozen(draft, number):
        raise DomainError("This answer is locked: you have moved on to what happened next, "
                          "so it can no longer be changed.", field="answer")
    normalised = validate_answers({**data, "stages": [stage]}, {stage["id"]: answer})
    draft.answers = {**draft.answers, stage["id"]: normalised[stage["id"]]}
    draft.updated_at = utcnow()


def submit_draft(user, draft: VignetteDraft) -> VignetteAttempt:
    """Score the draft against the version it was started on; a repeat returns the first."""
    key = f"draft:{draft.token}"
    existing = attempt_by_key(user.id, key)
    if existing is not None:
        return existing
    attempt = create_attempt(user, draft.organisation_id, draft.vignette, draft.answers, key,
                             draft_presentation(draft))
    claimed = db.session.execute(delete(VignetteDraft).where(VignetteDraft.id == draft.id))
    if claimed.rowcount != 1:  # the other submit won: keep its attempt
        db.session.rollback()
        return attempt_by_key(user.id, key)
    return attempt


def attempt_values(user_id: int, organisation_id: int, vignette, answers,
                   idempotency_key: str | None, presented: dict[str, list[str]]) -> dict:
    """Validate and score one attempt (AnswerError on bad answers): the row to store. The
    vignette is a Vignette or a VignetteRef (id, key, version, content_hash, data);
    `presented` is the order its options were shown in."""
    normalised, result = validate_and_score(vignette.data, answers)
    return dict(
        user_id=user_id, organisation_id=organisation_id, vignette_id=vignette.id,
        vignette_key=vignette.key, vignette_version=vignette.version,
        content_hash=vignette.content_hash, answers=normalised, presented=presented,
        stage_results=[stage_row(stage) for stage in result.stages],
        critical_errors=[dict(vars(error)) for error in result.critical_errors],
        text_levels={}, score=result.score, provisional=result.provisional,
        status=result.status, idempotency_key=idempotency_key, submitted_at=utcnow())


def stage_row(stage) -> dict:
    """A StageResult as stored (dataclasses.asdict, without its deep copy of every value)."""
    return {**vars(stage), "selected": list(stage.selected)}


def create_attempt(user, organisation_id: int, vignette: Vignette, answers,
                   idempotency_key: str | None,
                   presented: dict[str, list[str]] | None = None) -> VignetteAttempt:
    """Validate, score and store one attempt (AnswerError on bad answers); `presented`
    defaults to the order of the trainee's next attempt."""
    if presented is None:
        presented = next_presentation(user.id, organisation_id, vignette)
    attempt = VignetteAttempt(**attempt_values(user.id, organisation_id, vignette, answers,
                                               idempotency_key, presented))
    db.session.add(attempt)
    db.session.flush()
    return attempt


_INSERT = insert(VignetteAttempt.__table__).returning(VignetteAttempt.__table__.c.id)  # built once


def insert_attempt(values: dict) -> int | None:
    """Store attempt_values without building an ORM object (the API's hot path); the new
    id, or None when its idempotency key is already taken (a parallel request stored it)."""
    connection = db.session.connection()  # Core: none of the ORM's execution is needed
    if values.get("idempotency_key") is None:  # nothing can clash: no savepoint round trips
        return connection.execute(_INSERT, values).scalar_one()
    savepoint = connection.begin_nested()
    try:
        attempt_id = connection.execute(_INSERT, values).scalar_one()
    except IntegrityError:
        savepoint.rollback()
        return None
    savepoint.commit()
    return attempt_id


def attempt_by_key(user_id: int, key: str) -> VignetteAttempt | None:
    """The trainee's attempt stored under this idempotency key."""
    return db.session.scalar(select(VignetteAttempt).where(
        VignetteAttempt.user_id == user_id, VignetteAttempt.idempotency_key == key))


def unrated_text_stages(attempt: VignetteAttempt) -> list[dict]:
    """The text stages of an attempt still waiting for a supervisor's level."""
    return [stage for stage in attempt.vignette.data["stages"]
            if stage["kind"] == "text" and stage["id"] not in (attempt.text_levels or {})]


def rate_text_stages(rater, attempt: VignetteAttempt, levels: dict[str, int]) -> None:
    """Record the levels of text stages and re-score: pending becomes passed or failed once
    every text stage is rated (AnswerError for a level the stage does not have)."""
    data = attempt.vignette.data
    merged = {**(attempt.text_levels or {}), **levels}
    result = score_attempt(data, attempt.answers, merged)
    attempt.text_levels = merged
    attempt.stage_results = [stage_row(stage) for stage in result.stages]
    attempt.score, attempt.provisional, attempt.status = (result.score, result.provisional,
                                                          result.status)
    attempt.text_rated_at, attempt.text_rated_by_id = utcnow(), rater.id
    trainee_changed(attempt.organisation_id, attempt.user_id)
    record(rater, "vignette.text_rated", organisation_id=attempt.organisation_id,
           target=attempt, vignette=attempt.vignette_key, levels=levels)
    notify(attempt.organisation_id, attempt.user_id, "rating",
           f"{rater.name} rated your written answers on “{attempt.vignette.title}”.",
           f"/vignettes/attempts/{attempt.id}")
