"""Evidence and records for the competency and eligibility engines, read in a fixed number
of queries whatever the number of trainees (no query per trainee or per competency)."""

from collections import defaultdict
from datetime import UTC

from sqlalchemy import func, select

from trainer.cases.models import CaseSession, SupervisionMeeting, TrainingCase
from trainer.certificates.models import Certificate
from trainer.competency.eligibility import CaseRecord, Meeting, RatedSession, TraineeRecord
from trainer.competency.engine import (
    CompetencyEstimate,
    EvidenceItem,
    estimate_competencies,
    estimate_history,
    quiz_items,
    rating_items,
    vignette_items,
)
from trainer.content.models import CompetencyFramework, Module, Pathway, RatingScale, Vignette
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.orgs.models import SupervisorAssignment
from trainer.supervision.models import SessionRating, SummativeDraw
from trainer.timeutil import utcnow
from trainer.vignettes.models import VignetteAttempt


def framework() -> dict | None:
    """The loaded competency framework's data."""
    row = db.session.scalar(select(CompetencyFramework).where(
        CompetencyFramework.latest.is_(True)).order_by(CompetencyFramework.id))
    return row.data if row else None


def _latest(model, item_key, columns, trainee_ids, organisation_id):
    """Each trainee's latest attempt per item (by submission time, then id), in SQL."""
    rank = func.row_number().over(
        partition_by=(model.user_id, item_key),
        order_by=(model.submitted_at.desc(), model.id.desc())).label("rank")
    ranked = select(model.user_id, *columns, rank).where(
        model.user_id.in_(trainee_ids), model.organisation_id == organisation_id).subquery()
    return db.session.execute(select(*[c for c in ranked.c if c.name != "rank"])
                              .where(ranked.c.rank == 1)).all()


def _aware(moment):
    """Columns read outside the ORM type come back naive from SQLite: they are UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None \
        else moment


def evidence(trainee_ids: list[int], organisation_id: int) -> dict[int, list[EvidenceItem]]:
    """Every trainee's evidence items, as the spec defines them (three queries + content)."""
    found: dict[int, list[EvidenceItem]] = defaultdict(list)
    if not trainee_ids:
        return found
    for user_id, items in _quiz(trainee_ids, organisation_id).items():
        found[user_id] += items
    for user_id, items in _vignettes(trainee_ids, organisation_id).items():
        found[user_id] += items
    for user_id, items in _ratings(trainee_ids, organisation_id).items():
        found[user_id] += items
    return found


def _quiz(trainee_ids, organisation_id) -> dict[int, list[EvidenceItem]]:
    modules = {m.id: m.data for m in db.session.scalars(select(Module))}
    rows = _latest(ModuleAttempt, ModuleAttempt.module_key,
                   (ModuleAttempt.module_id, ModuleAttempt.score, ModuleAttempt.submitted_at),
                   trainee_ids, organisation_id)
    grouped = defaultdict(list)
    for user_id, module_id, score, submitted_at in rows:
        data = modules[module_id]
        grouped[user_id].append({"time": _aware(submitted_at), "fraction": score,
                                 "pass_mark": data["check"]["pass_mark"],
                                 "competencies": data["competencies"]})
    return {user_id: quiz_items(attempts) for user_id, attempts in grouped.items()}


def _vignettes(trainee_ids, organisation_id) -> dict[int, list[EvidenceItem]]:
    vignettes = {v.id: v.data for v in db.session.scalars(select(Vignette))}
    rows = _latest(VignetteAttempt, VignetteAttempt.vignette_key,
                   (VignetteAttempt.vignette_id, VignetteAttempt.stage_results,
                    VignetteAttempt.submitted_at), trainee_ids, organisation_id)
    grouped = defaultdict(list)
    for user_id, vignette_id, stage_results, submitted_at in rows:
        data = vignettes[vignette_id]
        stages = {s["id"]: s for s in data["stages"]}
        grouped[user_id].append({
            "time": _aware(submitted_at), "pass_mark": data["pass_mark"],
            "competencies": data.get("competencies") or (),
            "stages": [{"score": r["score"], "competencies": stages[r["id"]].get("competencies")}
                       for r in stage_results]})
    return {user_id: vignette_items(attempts) for user_id, attempts in grouped.items()}


def _ratings(trainee_ids, organisation_id) -> dict[int, list[EvidenceItem]]:
    scales = {s.id: s.data for s in db.session.scalars(select(RatingScale))}
    rows = db.session.execute(
        select(SessionRating, TrainingCase.trainee_id)
        .join(CaseSession, CaseSession.id == SessionRating.session_id)
        .join(TrainingCase, TrainingCase.id == CaseSession.case_id)
        .where(TrainingCase.trainee_id.in_(trainee_ids),
               TrainingCase.organisation_id == organisation_id,
               SessionRating.status == "submitted", SessionRating.purpose != "self"))
    grouped = defaultdict(list)
    for rating, user_id in rows:
        scale = scales[rating.scale_id]
        by_id = {item["id"]: item for item in scale["items"]}
        grouped[user_id].append({
            "time": rating.submitted_at, "scale_min": scale["min"], "scale_max": scale["max"],
            "pass_mean": scale["pass_mean"],
            "items": [{"score": rating.items[key], "competencies": by_id[key]["competencies"]}
                      for key in by_id if key in rating.items]})
    return {user_id: rating_items(ratings) for user_id, ratings in grouped.items()}


def profiles(trainee_ids: list[int], organisation_id: int) -> dict[int, list[CompetencyEstimate]]:
    """Each trainee's competency estimates."""
    data = framework()
    if data is None:
        return {}
    items = evidence(trainee_ids, organisation_id)
    return {user_id: estimate_competencies(data, items.get(user_id, []))
            for user_id in trainee_ids}


HISTORY_POINTS = 24


def history(trainee_id: int, organisation_id: int, items: list | None = None,
            data: dict | None = None) -> list[tuple[object, list]]:
    """The estimates as they stood after days with new evidence (for the history chart): every
    such day up to HISTORY_POINTS, else that many spread evenly, always with the last one.
    Pass the trainee's evidence items and the framework when the caller has them."""
    data = data if data is not None else framework()
    if items is None:
        items = evidence([trainee_id], organisation_id).get(trainee_id, [])
    if data is None or not items:
        return []
    days = sorted({item.time.date() for item in items})
    if len(days) > HISTORY_POINTS:
        step = (len(days) - 1) / (HISTORY_POINTS - 1)
        days = [days[round(i * step)] for i in range(HISTORY_POINTS)]
    return list(zip(days, estimate_history(data, items, days), strict=True))


def pathways() -> list[Pathway]:
    """The latest version of every loaded pathway."""
    return list(db.session.scalars(select(Pathway).where(Pathway.latest.is_(True))
                                   .order_by(Pathway.title)))


def records(trainee_ids: list[int], organisation_id: int, estimates: dict | None = None,
            *, with_cases: bool = True) -> dict[int, TraineeRecord]:
    """Eligibility records for many people in a fixed number of queries (pass the estimates
    when the caller already has them; without cases, case and supervision data are empty)."""
    from trainer.calibration.status import calibrated_rater_ids

    modules = list(db.session.scalars(select(Module).where(Module.latest.is_(True))
                                      .order_by(Module.position)))
    fw = framework() or {"competencies": []}
    if estimates is None:
        estimates = profiles(trainee_ids, organisation_id)
    passed_modules = _passed_modules(trainee_ids, organisation_id)
    passed_vignettes = _passed_vignettes(trainee_ids, organisation_id)
    calibrated = calibrated_rater_ids(organisation_id)
    cases = _cases(trainee_ids, organisation_id, calibrated) if with_cases else {}
    given = _supervision_given(trainee_ids, organisation_id) if with_cases else {}
    held = active_certificates(trainee_ids)
    return {user_id: TraineeRecord(
        modules_passed=frozenset(passed_modules.get(user_id, ())),
        core_modules=frozenset(m.key for m in modules if m.core),
        all_modules=frozenset(m.key for m in modules),
        module_titles={m.key: m.title for m in modules},
        vignettes_passed=passed_vignettes.get(user_id, {}),
        cases=tuple(cases.get(user_id, ())),
        competency_levels={e.id: e.level for e in estimates.get(user_id, [])},
        core_competencies=frozenset(c["id"] for c in fw["competencies"] if c.get("core", True)),
        competency_titles={c["id"]: c["title"] for c in fw["competencies"]},
        active_certificates=frozenset(held.get(user_id, ())),
        supervised_trainees=given.get(user_id, (0, 0))[0],
        supervised_completed_cases=given.get(user_id, (0, 0))[1],
        calibrated_now=user_id in calibrated) for user_id in trainee_ids}


def _passed_modules(trainee_ids, organisation_id) -> dict[int, set[str]]:
    passed = defaultdict(set)
    for user_id, key in db.session.execute(
            select(ModuleAttempt.user_id, ModuleAttempt.module_key).where(
                ModuleAttempt.user_id.in_(trainee_ids), ModuleAttempt.passed.is_(True),
                ModuleAttempt.organisation_id == organisation_id).distinct()):
        passed[user_id].add(key)
    return passed


def _passed_vignettes(trainee_ids, organisation_id) -> dict[int, dict]:
    areas = {v.id: frozenset(v.data["problem_areas"]) for v in db.session.scalars(
        select(Vignette))}
    passed = defaultdict(dict)
    for user_id, key, vignette_id in db.session.execute(
            select(VignetteAttempt.user_id, VignetteAttempt.vignette_key,
                   VignetteAttempt.vignette_id).where(
                VignetteAttempt.user_id.in_(trainee_ids), VignetteAttempt.status == "passed",
                VignetteAttempt.organisation_id == organisation_id).distinct()):
        passed[user_id][key] = areas[vignette_id]
    return passed


def _cases(trainee_ids, organisation_id, calibrated: set[int]) -> dict[int, list[CaseRecord]]:
    cases = list(db.session.scalars(select(TrainingCase).where(
        TrainingCase.trainee_id.in_(trainee_ids),
        TrainingCase.organisation_id == organisation_id)))
    case_ids = [c.id for c in cases]
    sessions = defaultdict(int)
    for case_id, in db.session.execute(select(CaseSession.case_id)
                                       .where(CaseSession.case_id.in_(case_ids))):
        sessions[case_id] += 1
    drawn = set(db.session.scalars(select(SummativeDraw.session_id)
                                   .where(SummativeDraw.case_id.in_(case_ids))))
    ratings = defaultdict(list)
    for rating, session in db.session.execute(
            select(SessionRating, CaseSession).join(CaseSession).where(
                CaseSession.case_id.in_(case_ids), SessionRating.status == "submitted",
                SessionRating.purpose != "self")):
        ratings[session.case_id].append(RatedSession(
            session_number=session.number, phase=session.phase, drawn=session.id in drawn,
            summative=rating.purpose == "summative",
            calibrated_rater=rating.rater_id in calibrated, competent=bool(rating.competent),
            mean=rating.mean or 0.0))
    meetings = defaultdict(list)
    for meeting in db.session.scalars(select(SupervisionMeeting).where(
            SupervisionMeeting.case_id.in_(case_ids),
            SupervisionMeeting.confirmed_at.is_not(None))):
        meetings[meeting.case_id].append(Meeting(meeting.minutes, meeting.group_size))
    grouped = defaultdict(list)
    for case in cases:
        grouped[case.trainee_id].append(CaseRecord(
            code=case.client_code, status=case.status, sessions_logged=sessions[case.id],
            problem_areas=frozenset(case.problem_areas or ()),
            ratings=tuple(ratings[case.id]), meetings=tuple(meetings[case.id])))
    return grouped


def _supervision_given(user_ids, organisation_id) -> dict[int, tuple[int, int]]:
    trainees = defaultdict(set)
    for supervisor_id, trainee_id in db.session.execute(
            select(SupervisorAssignment.supervisor_id, SupervisorAssignment.trainee_id).where(
                SupervisorAssignment.supervisor_id.in_(user_ids),
                SupervisorAssignment.organisation_id == organisation_id)):
        trainees[supervisor_id].add(trainee_id)
    completed = defaultdict(int)
    for supervisor_id, in db.session.execute(select(TrainingCase.supervisor_id).where(
            TrainingCase.supervisor_id.in_(user_ids), TrainingCase.status == "completed",
            TrainingCase.organisation_id == organisation_id)):
        completed[supervisor_id] += 1
    return {uid: (len(trainees[uid]), completed[uid]) for uid in user_ids}


def active_certificates(user_ids: list[int]) -> dict[int, set[str]]:
    """The pathways each person holds an active certificate for, from any organisation of
    the platform (a certificate is a public, verifiable fact)."""
    now = utcnow()
    held = defaultdict(set)
    for user_id, pathway_key in db.session.execute(
            select(Certificate.trainee_id, Certificate.pathway_key).where(
                Certificate.trainee_id.in_(user_ids), Certificate.revoked_at.is_(None),
                (Certificate.expires_at.is_(None)) | (Certificate.expires_at > now))):
        held[user_id].add(pathway_key)
    return held


def live_records(user_ids: list[int], organisation_id: int) -> dict[int, TraineeRecord]:
    """Records holding only what changes without new evidence (active certificates and
    calibration now), for the requirements checked live: two queries for any number."""
    from trainer.calibration.status import calibrated_rater_ids

    calibrated = calibrated_rater_ids(organisation_id)
    held = active_certificates(user_ids)
    empty = frozenset()
    return {uid: TraineeRecord(
        modules_passed=empty, core_modules=empty, all_modules=empty, module_titles={},
        vignettes_passed={}, cases=(), competency_levels={}, core_competencies=empty,
        competency_titles={}, active_certificates=frozenset(held.get(uid, ())),
        supervised_trainees=0, supervised_completed_cases=0,
        calibrated_now=uid in calibrated) for uid in user_ids}
