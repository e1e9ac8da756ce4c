"""The trainee home and cohort view models: built once, reused until what they read changes,
rebuilt after an attempt, a rating, a case change or an organisation's change, and never
shared between trainees or organisations."""

import re

import pytest

from tests.competency.test_pages_and_api import pass_vignettes
from tests.factories import good_rating
from trainer.competency import cohort, overview
from trainer.competency.services import set_offered_pathways
from trainer.extensions import db
from trainer.supervision.services import draft_rating, scale_for, submit_rating


@pytest.fixture
def builds(monkeypatch):
    """How many times each view model was built (not reused)."""
    counts = {"overview": 0, "cohort": 0}

    def counting(name, real):
        def build(*args, **kwargs):
            counts[name] += 1
            return real(*args, **kwargs)
        return build

    monkeypatch.setattr(overview, "build_overview",
                        counting("overview", overview.build_overview))
    monkeypatch.setattr(cohort, "build_cohort_view", counting("cohort", cohort.build_cohort_view))
    return counts


def met_counts(page: str) -> list[str]:
    return re.findall(r"(\d+ of \d+) requirements met", page)


def test_the_home_is_built_once_and_rebuilt_after_an_attempt(client, world, login_as,
                                                             builds):
    login_as(world["trainee"])
    first = client.get("/trainee").get_data(as_text=True)
    assert client.get("/trainee").status_code == 200
    assert builds["overview"] == 1
    pass_vignettes(world)
    after = client.get("/trainee").get_data(as_text=True)
    assert builds["overview"] == 2
    assert "No evidence yet" in first and "No evidence yet" not in after


def test_a_process_that_never_built_it_reads_it_from_the_table(app, client, world,
                                                               login_as, builds):
    login_as(world["trainee"])
    expected = client.get("/trainee").get_data(as_text=True)
    app.extensions["viewcache"].clear()  # as in another worker
    again = client.get("/trainee").get_data(as_text=True)
    assert builds["overview"] == 1
    assert met_counts(again) == met_counts(expected)


def test_one_trainees_attempt_rebuilds_neither_another_nor_another_orgs(client, world,
                                                                        make, login_as,
                                                                        builds):
    other = make.user(org=world["org"], role="trainee")
    outside_org = make.org()
    outsider = make.user(org=outside_org, role="trainee")
    for person in (other, outsider):
        login_as(person)
        assert client.get("/trainee").status_code == 200
    assert builds["overview"] == 2
    pass_vignettes(world)  # Tia's attempts
    for person in (other, outsider):
        login_as(person)
        assert client.get("/trainee").status_code == 200
    assert builds["overview"] == 2


def test_a_submitted_rating_rebuilds_the_trainees_home(client, world, make, login_as,
                                                       builds):
    case = make.case(world["org"], world["trainee"], world["supervisor"])
    session = case.sessions[0]  # the factory logged session 1
    login_as(world["trainee"])
    client.get("/trainee")
    built = builds["overview"]
    client.get("/trainee")
    assert builds["overview"] == built
    scale = scale_for(case)
    rating = draft_rating(world["supervisor"], session, "formative", scale)
    submit_rating(world["supervisor"], rating, good_rating(scale.data, "initial"))
    db.session.commit()
    client.get("/trainee")
    assert builds["overview"] == built + 1


def test_logging_a_session_through_the_page_rebuilds_the_home(client, world, make,
                                                              login_as, builds):
    case = make.case(world["org"], world["trainee"], world["supervisor"])
    login_as(world["trainee"])
    client.get("/trainee")
    built = builds["overview"]
    answer = client.post(f"/cases/{case.id}/sessions/new", data={
        "number": 2, "date": "2026-11-09", "phase": "initial"})
    assert answer.status_code in (302, 303), answer.status_code
    client.get("/trainee")
    assert builds["overview"] == built + 1


def test_the_cohort_is_rebuilt_after_a_submission_and_after_the_offer_changes(
        client, world, login_as, builds):
    login_as(world["admin"])
    empty = client.get("/competency/cohort").get_data(as_text=True)
    client.get("/competency/cohort")
    assert builds["cohort"] == 1
    assert "No scored vignette attempts yet." in empty
    pass_vignettes(world)
    page = client.get("/competency/cohort").get_data(as_text=True)
    assert builds["cohort"] == 2 and "No scored vignette attempts yet." not in page
    set_offered_pathways(world["admin"], world["org"].id, ["ipt-practitioner"])
    db.session.commit()
    login_as(world["trainee"])
    home = client.get("/trainee").get_data(as_text=True)
    assert len(met_counts(home)) == 1  # only the offered pathway's checklist
    login_as(world["admin"])
    client.get("/competency/cohort")
    assert builds["cohort"] == 3


def test_the_cohort_table_and_heatmap_come_a_page_at_a_time(client, world, make, login_as,
                                                            monkeypatch):
    monkeypatch.setattr(cohort, "PAGE_SIZE", 2)
    for name in ("Ada Able", "Bo Brook"):
        make.user(org=world["org"], role="trainee", name=name)
    login_as(world["admin"])
    first = client.get("/competency/cohort").get_data(as_text=True)
    assert "Trainees 1–2 of 3, by name." in first and 'rel="next"' in first
    assert "Ada Able" in first and "Bo Brook" in first and "Tia Trainee" not in first
    second = client.get("/competency/cohort?page=2").get_data(as_text=True)
    assert "Trainees 3–3 of 3" in second and "Tia Trainee" in second
    assert "Ada Able" not in second and 'rel="prev"' in second
    beyond = client.get("/competency/cohort?page=99").get_data(as_text=True)
    assert "Page 2 of 2." in beyond
