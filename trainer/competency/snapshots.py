"""Cached competency estimates for many trainees: recomputed only for trainees whose
evidence changed since (a marker of counts and latest times per source), in fixed queries."""

import hashlib
from dataclasses import asdict

from sqlalchemy import Select, String, bindparam, cast, func, insert, select, update

from trainer.cases.models import CaseSession, TrainingCase
from trainer.competency import queries
from trainer.competency.eligibility import evaluate
from trainer.competency.engine import CompetencyEstimate
from trainer.competency.models import CompetencySnapshot
from trainer.content.models import CompetencyFramework, Module, Pathway
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.supervision.models import SessionRating
from trainer.vignettes.models import VignetteAttempt


def cached_profiles(trainee_ids: list[int], organisation_id: int,
                    members: Select | None = None) -> dict[int, list]:
    """Each trainee's estimates, from the snapshot when its evidence is unchanged. `members`,
    a query of the same ids, keeps long id lists out of the SQL (whole-organisation pages)."""
    row = db.session.scalar(select(CompetencyFramework).where(
        CompetencyFramework.latest.is_(True)).order_by(CompetencyFramework.id))
    if row is None or not trainee_ids:
        return {}
    markers = evidence_markers(trainee_ids, organisation_id, members)
    snapshots = {s.user_id: s for s in db.session.execute(select(
        CompetencySnapshot.id, CompetencySnapshot.user_id, CompetencySnapshot.marker,
        CompetencySnapshot.framework_hash, CompetencySnapshot.estimates).where(
        CompetencySnapshot.organisation_id == organisation_id,
        CompetencySnapshot.user_id.in_(_ids(trainee_ids, members))))}  # rows, not objects
    stale = [uid for uid in trainee_ids if uid not in snapshots
             or snapshots[uid].marker != markers[uid]
             or snapshots[uid].framework_hash != row.content_hash]
    fresh = queries.profiles(stale, organisation_id) if stale else {}
    _store(fresh, snapshots, markers, row.content_hash, organisation_id)
    return {uid: fresh.get(uid) or [CompetencyEstimate(**e) for e in snapshots[uid].estimates]
            for uid in trainee_ids}


def _store(fresh: dict, snapshots: dict, markers: dict, framework_hash: str,
           organisation_id: int) -> None:
    """Write the recomputed snapshots in two bulk statements (not one per trainee)."""
    new, changed = [], []
    for uid, estimates in fresh.items():
        values = {"marker": markers[uid], "framework_hash": framework_hash,
                  "estimates": [asdict(e) for e in estimates], "checks": None}
        if uid in snapshots:
            changed.append({"id": snapshots[uid].id, **values})
        else:
            new.append({"user_id": uid, "organisation_id": organisation_id, **values})
    if new:
        db.session.execute(insert(CompetencySnapshot), new)
    if changed:
        db.session.execute(update(CompetencySnapshot), changed)


def _ids(trainee_ids: list[int], members: Select | None):
    """What `IN (...)` takes: the query when there is one, else the list."""
    return members if members is not None else trainee_ids


def evidence_markers(trainee_ids: list[int], organisation_id: int,
                     members: Select | None = None) -> dict[int, str]:
    """Per trainee: count and latest time of each evidence source (three grouped queries)."""
    parts = {uid: [] for uid in trainee_ids}
    # Times are read as text: the marker only compares them, and parsing 2,000 datetimes
    # per source was a third of the cohort page's time.
    for model, latest in ((ModuleAttempt, _text(func.max(ModuleAttempt.submitted_at))),
                          (VignetteAttempt, _text(func.max(func.coalesce(
                              VignetteAttempt.text_rated_at, VignetteAttempt.submitted_at))))):
        found = {uid: (n, last) for uid, n, last in db.session.execute(
            select(model.user_id, func.count(model.id), latest)
            .where(model.user_id.in_(_ids(trainee_ids, members)),
                   model.organisation_id == organisation_id)
            .group_by(model.user_id))}
        for uid in trainee_ids:
            parts[uid].append(found.get(uid, (0, None)))
    ratings = {uid: (n, last) for uid, n, last in db.session.execute(
        select(TrainingCase.trainee_id, func.count(SessionRating.id),
               _text(func.max(SessionRating.submitted_at)))
        .join(CaseSession, CaseSession.id == SessionRating.session_id)
        .join(TrainingCase, TrainingCase.id == CaseSession.case_id)
        .where(TrainingCase.trainee_id.in_(_ids(trainee_ids, members)),
               TrainingCase.organisation_id == organisation_id,
               SessionRating.status == "submitted", SessionRating.purpose != "self")
        .group_by(TrainingCase.trainee_id))}
    for uid in trainee_ids:
        parts[uid].append(ratings.get(uid, (0, None)))
    return {uid: "|".join(f"{n}@{last}" for n, last in parts[uid]) for uid in trainee_ids}


def _text(expression):
    return cast(expression, String)


EVIDENCE_KEYS = ("modules", "vignettes", "competencies")


def evidence_checks(trainee_ids: list[int], organisation_id: int, pathways: list[Pathway],
                    profiles: dict, members: Select | None = None) -> dict[int, set[str]]:
    """Per trainee, the pathways whose evidence-only requirements are met, kept in the
    snapshot beside the estimates. Call after `cached_profiles` in the same transaction: a
    changed evidence marker has then already cleared the stored result."""
    key = _checks_key(pathways)
    stored = {uid: checks for uid, checks in db.session.execute(
        select(CompetencySnapshot.user_id, CompetencySnapshot.checks).where(
            CompetencySnapshot.organisation_id == organisation_id,
            CompetencySnapshot.user_id.in_(_ids(trainee_ids, members))))}
    found = {uid: set(c["met"]) for uid, c in stored.items() if c and c.get("key") == key}
    stale = [uid for uid in trainee_ids if uid not in found]
    if not stale:
        return found
    evidence_only = [{**p.data, "requirements": {k: v for k, v in p.data["requirements"].items()
                                                 if k in EVIDENCE_KEYS}} for p in pathways]
    records = queries.records(stale, organisation_id, profiles, with_cases=False)
    changed = []
    for uid in stale:
        found[uid] = {p["id"] for p in evidence_only if evaluate(p, records[uid]).eligible}
        if uid in stored:
            changed.append({"b_user": uid, "checks": {"key": key, "met": sorted(found[uid])}})
    if changed:
        table = CompetencySnapshot.__table__
        db.session.execute(update(table).where(
            table.c.organisation_id == organisation_id,
            table.c.user_id == bindparam("b_user")), changed)
    return found


def _checks_key(pathways: list[Pathway]) -> str:
    """What the evidence-only checks depend on besides the trainee's evidence: the pathways'
    content and which modules exist and are core."""
    modules = db.session.execute(select(Module.key, Module.core).where(
        Module.latest.is_(True)).order_by(Module.key)).all()
    text = "|".join(f"{p.key}:{p.content_hash}" for p in pathways) + "#" + \
        ",".join(f"{k}:{int(core)}" for k, core in modules)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
