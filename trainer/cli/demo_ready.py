"""`flask demo`'s ready trainee: Rowan Ready, whose months of work, recorded only through the
app's own services, meet every requirement of the ipt-practitioner pathway.

Sasha Second is calibrated first (she rates the demo gold standards close to the consensus);
Rowan then passes every core module, ten vignettes over the four problem areas and two
supervised cases of twelve sessions, each with three sessions the platform drew at random,
rated summatively by Sasha, and five hours of confirmed supervision. Each part is skipped when
it exists already, so `flask demo` can run again.
"""

import io
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from trainer import timeutil
from trainer.auth.services import find_user_by_email
from trainer.calibration.models import GoldRating, GoldStandard
from trainer.cases.models import TrainingCase
from trainer.cli.demo import demo_tone
from trainer.content.models import Module
from trainer.extensions import db

READY_EMAIL = "ready@demo.example"
READY_SUPERVISOR = "supervisor2@demo.example"
VIGNETTES = (  # two or three per problem area; grief-widower-older-adult has a written stage
    "grief-widower-older-adult", "grief-stillbirth-perinatal", "grief-group-ipt-widow",
    "role-dispute-adolescent-ipt-a", "bulimia-role-dispute", "role-dispute-conjoint-couple",
    "role-transition-retirement-older-adult", "role-transition-migration",
    "social-anxiety-deficits", "binge-eating-group-deficits",
)
CASES = (
    {"code": "R-0201", "weeks_ago": 27, "areas": ["grief"], "phq9": 19, "gad7": 12,
     "goals": "Mourn her husband and rebuild contact with friends and family",
     "formulation": "Depression began in the months after her husband died suddenly",
     "people": [("Late husband", "inner", "Died suddenly last winter", ""),
                ("Son", "inner", "", "Visits on Sundays"),
                ("Choir friends", "outer", "Has not sung since the funeral", "")]},
    {"code": "R-0202", "weeks_ago": 17, "areas": ["role-dispute"], "phq9": 17, "gad7": 10,
     "goals": "Renegotiate the division of care with his partner",
     "formulation": "Low mood since the impasse with his partner over caring for her mother",
     "people": [("Partner", "inner", "Rows about her mother's care", "Still close"),
                ("Mother-in-law", "middle", "Moved in last year", ""),
                ("Brother", "middle", "", "Good listener")]},
)
SESSIONS = 12
PHASES = {1: "initial", 2: "initial", 3: "initial", 10: "termination", 11: "termination",
          12: "termination"}  # sessions 4 to 9 are the middle phase


def weeks_ago(weeks: float) -> date:
    """The date that many weeks before today."""
    return date.today() - timedelta(weeks=weeks)


@contextmanager
def as_of(day: date, hour: int = 10):
    """Run the services as on an earlier day, so the demo's history spans months.

    Every stored time comes from `trainer.timeutil.utcnow`, which reads that module's
    `datetime`; swapping the class for the duration moves the app's clock and nothing else,
    so the services keep every rule they check.
    """
    moment = datetime.combine(day, time(hour), UTC)
    real = timeutil.datetime

    class Then(real):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    timeutil.datetime = Then
    try:
        yield moment
    finally:
        timeutil.datetime = real


def ready_activity(organisation) -> None:
    """Sasha's calibration, then Rowan's study and two supervised cases (each part once)."""
    supervisor = find_user_by_email(READY_SUPERVISOR)
    trainee = find_user_by_email(READY_EMAIL)
    _calibrate(supervisor, organisation)
    _modules(trainee, organisation)
    _vignettes(trainee, supervisor, organisation)
    for plan in CASES:
        if not db.session.scalar(select(TrainingCase.id).where(
                TrainingCase.organisation_id == organisation.id,
                TrainingCase.trainee_id == trainee.id, TrainingCase.client_code == plan["code"])):
            _supervised_case(trainee, supervisor, organisation, plan)


def _calibrate(supervisor, organisation) -> None:
    """Sasha rates each demo gold standard within one point of its consensus."""
    from trainer.calibration.services import rate_gold

    rated = set(db.session.scalars(select(GoldRating.gold_id).where(
        GoldRating.rater_id == supervisor.id, GoldRating.organisation_id == organisation.id)))
    golds = db.session.scalars(select(GoldStandard).where(
        GoldStandard.organisation_id == organisation.id).order_by(GoldStandard.id))
    for index, gold in enumerate(golds):
        if gold.id in rated:
            continue
        items = dict(gold.consensus_items)
        key = list(items)[index % len(items)]  # one item off by one: close, not a copy
        if items[key] is not None:
            items[key] += 1 if items[key] < 3 else -1
        with as_of(weeks_ago(29) + timedelta(days=2 * index)):
            rate_gold(supervisor, organisation.id, gold, items, gold.consensus_global)


def _modules(trainee, organisation) -> None:
    """Every core module's check passed with the correct answers, one every four days."""
    from trainer.curriculum.services import submit_check

    modules = db.session.scalars(select(Module).where(
        Module.latest.is_(True), Module.core.is_(True)).order_by(Module.position))
    for index, module in enumerate(modules):
        with as_of(weeks_ago(28) + timedelta(days=4 * index), hour=19):
            submit_check(trainee, organisation.id, module,
                         key_answers(trainee, organisation, module), f"demo-ready-{module.key}")


def key_answers(trainee, organisation, module) -> dict[str, list[str]]:
    """The correct answers to the questions the trainee's next check attempt draws."""
    from trainer.curriculum.services import next_check_number, presentation

    number = next_check_number(trainee.id, organisation.id, module)
    questions = {q["id"]: q for q in module.data["check"]["questions"]}
    return {qid: [o["id"] for o in questions[qid]["options"] if o["correct"]]
            for qid in presentation(trainee.id, organisation.id, module, number)}


def _vignettes(trainee, supervisor, organisation) -> None:
    """The expert's answers to ten vignettes; the supervisor rates any written answer."""
    from trainer.vignettes.queries import vignette_by_key
    from trainer.vignettes.services import attempt_by_key, create_attempt

    for index, key in enumerate(VIGNETTES):
        vignette = vignette_by_key(key)
        if vignette is None or attempt_by_key(trainee.id, f"demo-ready-{key}"):
            continue
        day = weeks_ago(24) + timedelta(days=9 * index)
        with as_of(day, hour=20):
            attempt = create_attempt(trainee, organisation.id, vignette,
                                     _expert_answers(vignette.data), f"demo-ready-{key}")
        _rate_written(supervisor, attempt, day + timedelta(days=2))


def _expert_answers(data: dict) -> dict:
    from trainer.scoring.engine import expert_key

    answers = {}
    for stage in data["stages"]:
        if stage["kind"] == "text":
            answers[stage["id"]] = ("I would link the onset to the interpersonal events, name "
                                    "the problem area and agree a time-limited focus with him.")
        else:
            best = expert_key(stage)
            answers[stage["id"]] = best[:1] if stage["kind"] == "single" else best
    return answers


def _rate_written(supervisor, attempt, day: date) -> None:
    from trainer.vignettes.services import rate_text_stages, unrated_text_stages

    stages = unrated_text_stages(attempt)
    if stages:
        with as_of(day):
            rate_text_stages(supervisor, attempt, {
                s["id"]: max(level["score"] for level in s["levels"]) for s in stages})


def _supervised_case(trainee, supervisor, organisation, plan: dict) -> None:
    """Twelve recorded weekly sessions, supervision, a random draw rated, then sign-off."""
    from trainer.cases.services import sign_off

    start = weeks_ago(plan["weeks_ago"])
    case = _open_case(trainee, supervisor, organisation, plan, start)
    sessions = _sessions(trainee, supervisor, case, plan, start)
    _meetings(trainee, supervisor, case, start)
    last = sessions[-1].date
    _summative(supervisor, case, last + timedelta(days=2))
    with as_of(last + timedelta(days=9)):
        sign_off(supervisor, case, "completed",
                 "Completed as contracted; the summative ratings are competent throughout.")


def _open_case(trainee, supervisor, organisation, plan: dict, start: date):
    from trainer.cases.services import add_inventory_person, register_case, set_consent

    with as_of(start - timedelta(days=3)):
        case = register_case(trainee, organisation.id, {
            "client_code": plan["code"], "variant": "IPT", "planned_sessions": SESSIONS,
            "supervisor_id": supervisor.id, "start_date": start,
            "end_date": start + timedelta(weeks=SESSIONS - 1)})
        set_consent(trainee, case, True, True, False)
        for label, closeness, hard, good in plan["people"]:
            add_inventory_person(case, {"label": label, "closeness": closeness,
                                        "hard": hard, "good": good})
    return case


def _sessions(trainee, supervisor, case, plan: dict, start: date) -> list:
    """Weekly sessions with falling scores; the formulation is agreed by session 3."""
    from trainer.cases.recordings import store_recording
    from trainer.cases.services import approve_formulation, log_session, save_formulation

    sessions = []
    for number in range(1, SESSIONS + 1):
        day = start + timedelta(weeks=number - 1)
        with as_of(day, hour=17):
            session = log_session(trainee, case, {
                "number": number, "date": day, "phase": PHASES.get(number, "middle"),
                "measures": {"phq9": max(plan["phq9"] - 4 * number // 3, 4),
                             "gad7": max(plan["gad7"] - number, 3)}})
            store_recording(trainee, session, io.BytesIO(demo_tone()), consent=True)
            if number == 3:
                save_formulation(trainee, case, plan["areas"], plan["goals"],
                                 plan["formulation"], SESSIONS)
        if number == 3:
            with as_of(day + timedelta(days=1)):
                approve_formulation(supervisor, case)
        if number == 5:
            _formative(supervisor, session, day + timedelta(days=2))
        sessions.append(session)
    return sessions


def _meetings(trainee, supervisor, case, start: date) -> None:
    """Four hour-long individual meetings the trainee logs and the supervisor confirms, and
    one 90-minute group meeting of three (one hour): five hours in all."""
    from trainer.cases.services import confirm_meeting, log_meeting

    for fortnight in range(4):
        day = start + timedelta(weeks=2 * fortnight + 1, days=1)
        with as_of(day, hour=16):
            meeting = log_meeting(trainee, case, {"date": day, "minutes": 60}, confirm=False)
        with as_of(day + timedelta(days=1)):
            confirm_meeting(supervisor, meeting, {
                "notes_cases": f"Reviewed {case.client_code} and the focus on the problem area.",
                "notes_recordings": "Listened to the latest recording together.",
                "notes_actions": "Keep linking mood to the week's interpersonal events."})
    day = start + timedelta(weeks=9, days=3)
    with as_of(day, hour=15):
        log_meeting(supervisor, case, {"date": day, "minutes": 90, "group_size": 3},
                    confirm=True)


def _formative(supervisor, session, day: date) -> None:
    """A formative rating mid-course, competent with room to grow."""
    from trainer.supervision.services import draft_rating, scale_for, submit_rating

    with as_of(day):
        scale = scale_for(session.case)
        rating = draft_rating(supervisor, session, "formative", scale)
        submit_rating(supervisor, rating, {
            "items": _scores(scale.data, session.phase, (3, 4, 3)), "global": 3,
            "comments": [{"at": "00:01", "text": "Good focus; ask more about the feelings"}]})


def _summative(supervisor, case, day: date) -> None:
    """The platform draws three sessions across the phases; the supervisor rates each."""
    from trainer.supervision.services import (
        draft_rating,
        draw_sessions,
        scale_for,
        submit_rating,
    )

    with as_of(day):
        drawn = draw_sessions(supervisor, case)
        scale = scale_for(case)
    for index, session in enumerate(drawn):
        with as_of(day + timedelta(days=1 + index)):
            rating = draft_rating(supervisor, session, "summative", scale)
            submit_rating(supervisor, rating, {
                "items": _scores(scale.data, session.phase, (4, 5, 4, 3)), "global": 4,
                "comments": [{"at": "00:02", "text": "Clear, warm and on the agreed focus"}]})


def _scores(scale: dict, phase: str, pattern: tuple[int, ...]) -> dict:
    from trainer.supervision.scales import applicable_items

    return {item["id"]: pattern[index % len(pattern)]
            for index, item in enumerate(applicable_items(scale, phase))}
