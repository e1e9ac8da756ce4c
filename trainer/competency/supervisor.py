"""The supervisor's table: levels per trainee, last activity, recordings awaiting rating."""

from collections import defaultdict

from sqlalchemy import func, select

from trainer.competency import queries
from trainer.competency.snapshots import cached_profiles
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.supervision.queries import queue
from trainer.vignettes.models import VignetteAttempt


def supervisor_rows(supervisor_id: int, organisation_id: int, trainees) -> tuple[dict, list]:
    """One row per trainee: estimates, last activity and sessions awaiting this rater."""
    ids = [t.id for t in trainees]
    framework = queries.framework() or {"competencies": []}
    profiles = cached_profiles(ids, organisation_id)
    last = _last_activity(ids, organisation_id)
    waiting = defaultdict(int)
    for session, _ in queue(supervisor_id, organisation_id):
        waiting[session.case.trainee_id] += 1
    return framework, [{"trainee": t, "levels": [e.level for e in profiles.get(t.id, [])],
                        "last": last.get(t.id), "waiting": waiting[t.id]} for t in trainees]


def _last_activity(ids: list[int], organisation_id: int) -> dict:
    latest = {}
    for model in (ModuleAttempt, VignetteAttempt):
        for user_id, when in db.session.execute(
                select(model.user_id, func.max(model.submitted_at)).where(
                    model.user_id.in_(ids), model.organisation_id == organisation_id)
                .group_by(model.user_id)):
            if when is not None and (user_id not in latest or when > latest[user_id]):
                latest[user_id] = when
    return latest
