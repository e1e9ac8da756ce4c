"""Reading an organisation's learning records for the xAPI export (fixed query count)."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.cases.models import CaseSession, TrainingCase
from trainer.content.models import Module, RatingScale, Vignette
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.orgs.models import Organisation
from trainer.supervision.models import SessionRating
from trainer.vignettes.models import VignetteAttempt
from trainer.xapi.statements import (
    module_check_statement,
    session_rating_statement,
    vignette_attempt_statement,
)


def statements(org: Organisation, since: datetime, until: datetime, base_url: str) -> list:
    """Every module check, vignette attempt and session rating in [since, until), by time."""
    found = _modules(org, since, until) + _vignettes(org, since, until) + \
        _ratings(org, since, until)
    found.sort(key=lambda pair: pair[0])
    return [builder(event, base_url) for _, (builder, event) in found]


def date_range(since_text: str | None, until_text: str | None,
               today) -> tuple[datetime, datetime]:
    """The [since, until) window from YYYY-MM-DD texts (default: the last 30 days, at most
    366 days); DomainError on a bad date."""
    from datetime import UTC, timedelta

    from trainer.errors import DomainError

    def parse(text, field):
        try:
            return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError as exc:
            raise DomainError("Give dates as YYYY-MM-DD.", field=field) from exc

    until = parse(until_text, "until") if until_text else datetime(
        today.year, today.month, today.day, tzinfo=UTC) + timedelta(days=1)
    since = parse(since_text, "since") if since_text else until - timedelta(days=30)
    if since >= until or until - since > timedelta(days=366):
        raise DomainError("The range runs forward and spans at most 366 days.", field="since")
    return since, until


def _window(model, column, org, since, until):
    return select(model).where(model.organisation_id == org.id, column >= since,
                               column < until)


def _modules(org, since, until) -> list:
    modules = {m.id: m for m in db.session.scalars(select(Module))}
    rows = []
    for a in db.session.scalars(_window(ModuleAttempt, ModuleAttempt.submitted_at, org, since,
                                        until)):
        module = modules[a.module_id]
        questions = len(module.data["check"]["questions"])
        rows.append((a.submitted_at, (module_check_statement, {
            "id": a.id, "user_id": a.user_id, "organisation_slug": org.slug,
            "module_id": a.module_key, "module_title": module.title,
            "module_version": a.module_version, "score": a.score, "passed": a.passed,
            "pass_mark": module.data["check"]["pass_mark"], "questions": questions,
            "right": sum(1 for ok in a.results.values() if ok) if a.results else
            round(a.score * questions), "timestamp": a.submitted_at})))
    return rows


def _vignettes(org, since, until) -> list:
    vignettes = {v.id: v for v in db.session.scalars(select(Vignette))}
    return [(a.submitted_at, (vignette_attempt_statement, {
        "id": a.id, "user_id": a.user_id, "organisation_slug": org.slug,
        "vignette_id": a.vignette_key, "vignette_title": vignettes[a.vignette_id].title,
        "vignette_version": a.vignette_version, "score": a.score, "status": a.status,
        "timestamp": a.submitted_at}))
        for a in db.session.scalars(_window(VignetteAttempt, VignetteAttempt.submitted_at,
                                            org, since, until))]


def _ratings(org, since, until) -> list:
    scales = {s.id: s.data for s in db.session.scalars(select(RatingScale))}
    query = _window(SessionRating, SessionRating.submitted_at, org, since, until).where(
        SessionRating.status != "draft").options(
        selectinload(SessionRating.session).selectinload(CaseSession.case))
    rows = []
    for r in db.session.scalars(query):
        case: TrainingCase = r.session.case
        scale = scales[r.scale_id]
        rows.append((r.submitted_at, (session_rating_statement, {
            "id": r.id, "trainee_id": case.trainee_id, "rater_id": r.rater_id,
            "organisation_slug": org.slug, "case_code": case.client_code,
            "session_number": r.session.number, "phase": r.session.phase,
            "purpose": r.purpose, "mean": r.mean, "scale_min": scale["min"],
            "scale_max": scale["max"], "competent": bool(r.competent),
            "timestamp": r.submitted_at})))
    return rows
