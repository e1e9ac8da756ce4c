"""Generate an organisation of N trainees with realistic activity, by bulk inserts.

Per trainee: every module's check once or twice, about 30 vignette attempts, one case with
six sessions and three supervisor ratings. For N = 2,000 that is about 60,000 vignette
attempts, 200,000 evidence items and 6,000 ratings.
"""

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from trainer.auth.models import User
from trainer.auth.passwords import hash_password
from trainer.cases.models import CaseSession, TrainingCase
from trainer.content.models import Module, RatingScale, Vignette
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.orgs.models import Cohort, CohortMember, Membership, Organisation, SupervisorAssignment
from trainer.scoring.engine import score_attempt
from trainer.scoring.presentation import draw_questions
from trainer.supervision.models import SessionRating
from trainer.vignettes.models import VignetteAttempt

PASSWORD = "scale-lantern-meadow-47"  # noqa: S105
ATTEMPTS_PER_TRAINEE = 30


def generate(n: int, slug: str = "scale", seed: int = 7) -> dict:
    """Create the organisation and its activity; returns the ids the benchmark needs."""
    rng = random.Random(seed)
    org = Organisation(slug=slug, name=f"Scale test ({n} trainees)")
    db.session.add(org)
    db.session.flush()
    secret = hash_password(PASSWORD)
    admin, supervisor = _user(org, "admin", f"admin@{slug}.example", secret), \
        _user(org, "supervisor", f"supervisor@{slug}.example", secret)
    trainee_ids = _trainees(org, n, secret)
    _cohorts(org, trainee_ids)
    db.session.execute(insert(SupervisorAssignment), [
        {"organisation_id": org.id, "supervisor_id": supervisor.id, "trainee_id": tid}
        for tid in trainee_ids[:40]])
    _module_attempts(org, trainee_ids, rng)
    _vignette_attempts(org, trainee_ids, rng)
    _cases_and_ratings(org, trainee_ids, supervisor, rng)
    db.session.commit()
    return {"organisation_id": org.id, "admin": admin.email, "supervisor": supervisor.email,
            "trainee": f"trainee0@{slug}.example"}


def _user(org, role: str, email: str, secret: str) -> User:
    user = User(email=email, name=role.title(), password_hash=secret)
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, organisation_id=org.id, role=role))
    return user


def _trainees(org, n: int, secret: str) -> list[int]:
    db.session.execute(insert(User), [
        {"email": f"trainee{i}@{org.slug}.example", "name": f"Trainee {i:05d}",
         "password_hash": secret} for i in range(n)])
    ids = list(db.session.scalars(select(User.id).where(User.email.like(
        f"trainee%@{org.slug}.example")).order_by(User.id)))
    db.session.execute(insert(Membership), [
        {"user_id": uid, "organisation_id": org.id, "role": "trainee"} for uid in ids])
    return ids


def _cohorts(org, ids: list[int]) -> None:
    for start in range(0, len(ids), 100):
        cohort = Cohort(organisation_id=org.id, name=f"Intake {start // 100 + 1}")
        db.session.add(cohort)
        db.session.flush()
        db.session.execute(insert(CohortMember), [
            {"cohort_id": cohort.id, "user_id": uid} for uid in ids[start:start + 100]])


def _when(rng) -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(460_000))


def _module_attempts(org, ids, rng) -> None:
    """Each trainee answers each drawn question right with their own ability (so the item
    analysis has real spread), once or twice per module."""
    modules = list(db.session.scalars(select(Module).where(Module.latest.is_(True))))
    rows = []
    for uid in ids:
        ability = rng.uniform(0.4, 0.97)
        for module in modules:
            check = module.data["check"]
            for take in range(rng.choice((1, 1, 2))):
                answers, results = _check_answers(check, ability, rng)
                score = round(sum(results.values()) / len(results), 4)
                rows.append({"user_id": uid, "organisation_id": org.id, "module_id": module.id,
                             "module_key": module.key, "module_version": module.version,
                             "answers": answers, "results": results, "score": score,
                             "passed": score >= check["pass_mark"],
                             "submission_key": f"s{uid}-{module.key}-{take}",
                             "submitted_at": _when(rng)})
    _bulk(ModuleAttempt, rows)


def _check_answers(check: dict, ability: float, rng) -> tuple[dict, dict]:
    answers, results = {}, {}
    for question in draw_questions(check, rng.getrandbits(64)):
        keyed = [o["id"] for o in question["options"] if o["correct"]]
        others = [o["id"] for o in question["options"] if not o["correct"]]
        right = rng.random() < ability or not others
        chosen = keyed if right else [rng.choice(others)]
        answers[question["id"]], results[question["id"]] = chosen, right
    return answers, results


def _vignette_attempts(org, ids, rng) -> None:
    vignettes = list(db.session.scalars(select(Vignette).where(Vignette.latest.is_(True))))
    rows = []
    for uid in ids:
        for index in range(ATTEMPTS_PER_TRAINEE):
            vignette = vignettes[index % len(vignettes)]
            answers = _random_answers(vignette.data, rng)
            result = score_attempt(vignette.data, answers)
            rows.append({
                "user_id": uid, "organisation_id": org.id, "vignette_id": vignette.id,
                "vignette_key": vignette.key, "vignette_version": vignette.version,
                "content_hash": vignette.content_hash, "answers": answers,
                "stage_results": [{"id": s.id, "kind": s.kind, "score": s.score,
                                   "selected": list(s.selected), "text": s.text,
                                   "level": s.level} for s in result.stages],
                "critical_errors": [], "text_levels": {}, "score": result.score,
                "provisional": result.provisional, "status": result.status,
                "submitted_at": _when(rng)})
    _bulk(VignetteAttempt, rows)


def _random_answers(data: dict, rng) -> dict:
    answers = {}
    for stage in data["stages"]:
        if stage["kind"] == "text":
            answers[stage["id"]] = "A considered answer."
        else:
            ids = [o["id"] for o in stage["options"]]
            limit = 1 if stage["kind"] == "single" else (stage.get("max_choices") or len(ids))
            answers[stage["id"]] = rng.sample(ids, rng.randint(1, limit))
    return answers


def _cases_and_ratings(org, ids, supervisor, rng) -> None:
    scale = db.session.scalar(select(RatingScale).where(RatingScale.key ==
                                                        "ipt-session-quality"))
    _bulk(TrainingCase, [{"organisation_id": org.id, "trainee_id": uid,
                          "supervisor_id": supervisor.id, "client_code": f"C-{uid}",
                          "variant": "IPT", "planned_sessions": 12, "status": "open",
                          "problem_areas": ["grief"]} for uid in ids])
    cases = dict(db.session.execute(select(TrainingCase.trainee_id, TrainingCase.id).where(
        TrainingCase.organisation_id == org.id)).all())
    phases = ["initial", "initial", "middle", "middle", "middle", "termination"]
    _bulk(CaseSession, [{"case_id": cases[uid], "number": n + 1, "phase": phases[n],
                         "date": date(2026, 3, 1) + timedelta(weeks=n),
                         "phq9": 18 - 2 * n} for uid in ids for n in range(6)])
    sessions = db.session.execute(select(CaseSession.id, CaseSession.case_id,
                                         CaseSession.number, CaseSession.phase).where(
        CaseSession.case_id.in_(list(cases.values())), CaseSession.number.in_((1, 3, 6))))
    rows = []
    for session_id, _case_id, _number, phase in sessions:
        items = {i["id"]: rng.choice((2, 3, 3, 4, 4, 5)) for i in scale.data["items"]
                 if phase in i["phases"]}
        mean = round(sum(items.values()) / len(items), 2)
        rows.append({"organisation_id": org.id, "session_id": session_id,
                     "rater_id": supervisor.id, "scale_id": scale.id,
                     "purpose": rng.choice(("formative", "summative")), "status": "submitted",
                     "items": items, "item_comments": {}, "global_score": 4, "mean": mean,
                     "competent": mean >= 3, "reasons": [], "submitted_at": _when(rng)})
    _bulk(SessionRating, rows)


def _bulk(model, rows: list[dict], size: int = 5000) -> None:
    for start in range(0, len(rows), size):
        db.session.execute(insert(model), rows[start:start + size])
