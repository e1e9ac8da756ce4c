"""`flask demo`: a demo organisation with one account per role, printed on the console.

Rowan Ready's work toward the practitioner certificate is in demo_ready.py."""

import io
import math
import secrets
import wave
from datetime import date, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from trainer.auth.passwords import password_problem
from trainer.auth.services import create_user, find_user_by_email, set_password
from trainer.cli.common import transactional
from trainer.content.services import DEFAULT_PATHS, format_summary, sync_content
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.orgs.models import Cohort
from trainer.orgs.services import (
    add_membership,
    add_to_cohort,
    assign_supervisor,
    create_cohort,
    create_organisation,
    find_organisation,
)

DEMO_SLUG = "demo"
COHORT = "Autumn 2026 intake"
ASSIGNMENTS = (  # trainee, supervisor
    ("trainee@demo.example", "supervisor@demo.example"),
    ("trainee2@demo.example", "supervisor@demo.example"),
    ("ready@demo.example", "supervisor2@demo.example"),
)
DEMO_PEOPLE = [
    # email, name, role (None: platform admin only)
    ("admin@demo.example", "Ada Admin", "admin"),
    ("supervisor@demo.example", "Sam Supervisor", "supervisor"),
    ("supervisor2@demo.example", "Sasha Second", "supervisor"),
    ("trainee@demo.example", "Tara Trainee", "trainee"),
    ("trainee2@demo.example", "Theo Trainee", "trainee"),
    ("ready@demo.example", "Rowan Ready", "trainee"),
    ("platform@demo.example", "Pat Platform", None),
]


def _person(email: str, name: str, password: str):
    user = find_user_by_email(email)
    if user is None:
        return create_user(email, name, password)
    set_password(user, password)
    user.active = True
    return user


@click.command("demo")
@with_appcontext
@click.option("--password", help="One password for every demo account (default: random ones).")
@transactional
def demo_command(password):
    """Create (or refresh) the demo organisation and its accounts; print how to sign in."""
    if password and (problem := password_problem(password)):
        raise click.ClickException(f"--password: {problem}")
    summary, problems = sync_content([p for p in DEFAULT_PATHS if p.exists()])
    if problems:
        raise click.ClickException("the content does not validate: " + problems[0])
    click.echo(format_summary(summary))
    organisation = find_organisation(DEMO_SLUG) or create_organisation(
        None, DEMO_SLUG, "Demo IPT Training Institute")
    accounts = []
    for email, name, role in DEMO_PEOPLE:
        secret = password or secrets.token_urlsafe(12)
        user = _person(email, name, secret)
        if role:
            add_membership(None, user, organisation, role)
        else:
            user.is_platform_admin = True
        accounts.append((role or "platform admin", email, secret))
    _demo_activity(organisation)
    click.echo(f"Demo organisation: {organisation.name} ({organisation.slug})")
    click.echo("Sign in at http://127.0.0.1:5000/login with:")
    for role, email, secret in accounts:
        click.echo(f"  {role:<15} {email:<26} password: {secret}")


def _demo_activity(organisation) -> None:
    from trainer.calibration.models import GoldStandard
    from trainer.cli.demo_ready import as_of, ready_activity, weeks_ago

    _assignments(organisation)
    supervisor = find_user_by_email("supervisor@demo.example")
    trainee = find_user_by_email("trainee@demo.example")
    if not db.session.scalar(select(ModuleAttempt.id).where(ModuleAttempt.user_id == trainee.id)):
        _study(trainee, organisation)
        _case(trainee, supervisor, organisation)
    if not db.session.scalar(select(GoldStandard.id).where(
            GoldStandard.organisation_id == organisation.id)):
        with as_of(weeks_ago(30)):  # before Sasha Second calibrates on them
            _gold_standards(organisation)
    ready_activity(organisation)


def _assignments(organisation) -> None:
    cohort = db.session.scalar(
        db.select(Cohort).where(Cohort.organisation_id == organisation.id, Cohort.name == COHORT)
    ) or create_cohort(None, organisation, COHORT)
    for trainee_email, supervisor_email in ASSIGNMENTS:
        trainee = find_user_by_email(trainee_email)
        assign_supervisor(None, organisation, find_user_by_email(supervisor_email), trainee)
        add_to_cohort(None, cohort, trainee)


def _study(trainee, organisation) -> None:
    """Two modules passed and four vignettes worked with the expert's answers."""
    from trainer.cli.demo_ready import key_answers
    from trainer.curriculum.queries import module_by_key
    from trainer.curriculum.services import submit_check
    from trainer.scoring.engine import expert_key
    from trainer.vignettes.queries import vignette_by_key
    from trainer.vignettes.services import create_attempt

    for key in ("ipt-foundations", "ipt-theory"):
        module = module_by_key(key)
        if module is not None:
            submit_check(trainee, organisation.id, module,
                         key_answers(trainee, organisation, module), f"demo-{key}")
    for key in ("grief-widower-older-adult", "role-dispute-workplace-brief",
                "role-transition-retirement-older-adult", "social-anxiety-deficits"):
        vignette = vignette_by_key(key)
        if vignette is None:
            continue
        answers = {}
        for stage in vignette.data["stages"]:
            if stage["kind"] == "text":
                answers[stage["id"]] = "I would link the onset to the events and agree a focus."
            else:
                best = expert_key(stage)
                answers[stage["id"]] = best[:1] if stage["kind"] == "single" else best
        create_attempt(trainee, organisation.id, vignette, answers, None)


def demo_tone(seconds: int = 3) -> bytes:
    """A short generated WAV tone to stand in for a session recording."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(bytes(int(128 + 50 * math.sin(2 * math.pi * 330 * i / 8000))
                              for i in range(8000 * seconds)))
    return buffer.getvalue()


def _case(trainee, supervisor, organisation) -> None:
    """A case with three sessions, a recording and a supervisor's rating."""
    from trainer.cases.recordings import store_recording
    from trainer.cases.services import (
        add_inventory_person,
        log_session,
        register_case,
        save_formulation,
    )
    from trainer.supervision.services import draft_rating, scale_for, submit_rating

    start = date.today() - timedelta(weeks=4)
    case = register_case(trainee, organisation.id, {
        "client_code": "C-0101", "variant": "IPT", "planned_sessions": 12,
        "supervisor_id": supervisor.id, "start_date": start,
        "end_date": start + timedelta(weeks=12)})
    add_inventory_person(case, {"label": "Husband", "closeness": "inner",
                                "hard": "Arguments since her retirement"})
    add_inventory_person(case, {"label": "Daughter", "closeness": "middle",
                                "good": "Calls every week"})
    save_formulation(trainee, case, ["role-transition"], "Build a new routine and support",
                     "Low mood since retiring in spring", 12)
    sessions = [log_session(trainee, case, {"number": n, "date": start + timedelta(weeks=n - 1),
                                            "phase": "initial",
                                            "measures": {"phq9": 17 - 2 * n, "gad7": 9 - n}})
                for n in (1, 2, 3)]
    store_recording(trainee, sessions[1], io.BytesIO(demo_tone()), consent=True)
    scale = scale_for(case)
    rating = draft_rating(supervisor, sessions[1], "formative", scale)
    items = {item["id"]: 4 for item in scale.data["items"] if "initial" in item["phases"]}
    submit_rating(supervisor, rating, {"items": items, "global": 4, "comments": [
        {"at": "00:01", "text": "Clear link between the retirement and the low mood"}]})


def _gold_standards(organisation) -> None:
    """Three gold-standard recordings, poor to good practice, with a consensus rating."""
    from trainer.calibration.services import create_gold
    from trainer.content.models import RatingScale
    from trainer.supervision.services import DEFAULT_SCALE

    scale = db.session.scalar(select(RatingScale).where(RatingScale.key == DEFAULT_SCALE,
                                                        RatingScale.latest.is_(True)))
    if scale is None:
        return
    for title, base in (("Gold standard A: drifting focus", 2),
                        ("Gold standard B: competent middle session", 3),
                        ("Gold standard C: skilled role-dispute work", 4)):
        items = {item["id"]: min(5, base + (index % 2))
                 for index, item in enumerate(scale.data["items"]) if "middle" in item["phases"]}
        create_gold(None, organisation.id, {"title": title, "phase": "middle", "items": items,
                                            "global": base, "teaching_consent": True},
                    io.BytesIO(demo_tone(2)))
