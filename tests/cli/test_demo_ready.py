"""`flask demo` makes one trainee, Rowan Ready, who meets the practitioner pathway."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from trainer import timeutil
from trainer.auth.services import find_user_by_email
from trainer.calibration.models import GoldRating, GoldStandard
from trainer.calibration.status import calibrated_rater_ids
from trainer.cases.models import (
    CaseSession,
    InventoryPerson,
    Recording,
    SupervisionMeeting,
    TrainingCase,
)
from trainer.certificates.services import find_pathway, issue
from trainer.competency import queries
from trainer.competency.eligibility import evaluate
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.orgs.models import Cohort, CohortMember
from trainer.orgs.queries import supervisors_of
from trainer.orgs.services import find_organisation
from trainer.supervision.models import SessionRating, SummativeDraw
from trainer.vignettes.models import VignetteAttempt

STRONG = "violet-harbour-trumpet-9"
ACTIVITY = (TrainingCase, CaseSession, InventoryPerson, Recording, SupervisionMeeting,
            SummativeDraw, SessionRating, GoldStandard, GoldRating, ModuleAttempt,
            VignetteAttempt)


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        result = runner.invoke(args=list(args))
        db.session.expire_all()
        return result

    return invoke


def _eligibility(email: str, organisation_id: int):
    user = find_user_by_email(email)
    pathway = find_pathway("ipt-practitioner")
    return evaluate(pathway.data, queries.records([user.id], organisation_id)[user.id])


def _unmet(result) -> str:
    return "; ".join(f"{r.id}: {r.detail}" for r in result.requirements if not r.met)


def _counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in ACTIVITY}


def test_demo_makes_rowan_ready_and_the_admin_can_certify_him(run):
    result = run("demo", "--password", STRONG)
    assert result.exit_code == 0, result.output
    assert "ready@demo.example" in result.output
    organisation = find_organisation("demo")
    rowan = find_user_by_email("ready@demo.example")
    sasha = find_user_by_email("supervisor2@demo.example")
    sam = find_user_by_email("supervisor@demo.example")

    ready = _eligibility("ready@demo.example", organisation.id)
    assert ready.eligible and all(r.met for r in ready.requirements), _unmet(ready)
    assert {r.id for r in ready.requirements} >= {
        "modules", "vignettes.passed_min", "vignettes.problem_areas",
        "supervised_cases.completed_min", "supervised_cases.phases",
        "supervised_cases.supervision_hours_min", "competencies.min_level"}
    assert not _eligibility("trainee@demo.example", organisation.id).eligible

    calibrated = calibrated_rater_ids(organisation.id)
    assert sasha.id in calibrated and sam.id not in calibrated
    assert db.session.scalar(select(func.count()).select_from(GoldStandard)) == 3
    assert db.session.scalar(select(GoldRating.id).where(GoldRating.rater_id == sam.id)) is None

    assert [s.id for s in supervisors_of(rowan.id, organisation.id)] == [sasha.id]
    assert db.session.scalar(select(Cohort.name).join(CohortMember).where(
        CohortMember.user_id == rowan.id)) == "Autumn 2026 intake"
    days = [day for day, _ in queries.history(rowan.id, organisation.id)]
    assert (days[-1] - days[0]).days > 120  # months of work, not one afternoon

    admin = find_user_by_email("admin@demo.example")
    certificate = issue(admin, organisation.id, rowan.id, "ipt-practitioner",
                        base="http://localhost")
    assert certificate.holder_name == "Rowan Ready"


def test_second_demo_run_adds_no_activity(run):
    assert run("demo", "--password", STRONG).exit_code == 0
    before = _counts()
    again = run("demo")
    assert again.exit_code == 0, again.output
    assert _counts() == before
    assert timeutil.datetime is datetime  # the demo's clock is back to the real one
    organisation = find_organisation("demo")
    ready = _eligibility("ready@demo.example", organisation.id)
    assert ready.eligible, _unmet(ready)
