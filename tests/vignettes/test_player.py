"""The vignette player: drafts, reveals, review, atomic submission, feedback, no rubric leaks."""

import re

import pytest
from sqlalchemy import func, select

from tests.factories import DEFAULT_PASSWORD, vignette_data
from trainer.extensions import db
from trainer.vignettes.models import VignetteAttempt, VignetteDraft

RUBRIC_MARKERS = ("A death: grief fits", "Always ask directly", "Never ignore this",
                  "Link the death to the mood", "points", "critical", "Partial",
                  "She agreed to work on grief")


@pytest.fixture
def org(make):
    return make.org()


@pytest.fixture
def trainee(make, org, login_as):
    return login_as(make.user(org=org, role="trainee"))


@pytest.fixture
def vignette(make):
    return make.vignette("vig-a")


def work_through(client, answers=None):
    answers = answers or {"1": {"answer": "grief"}, "2": {"answer": ["ask", "plan"]},
                          "3": {"answer": "Her mood fell after the death."}}
    assert client.post("/vignettes/vig-a/start").status_code == 303
    for number, data in answers.items():
        response = client.post(f"/vignettes/vig-a/stages/{number}", data=data)
        assert response.status_code == 303, response.get_data(as_text=True)


def test_pages_before_submission_hold_no_rubric(client, trainee, vignette):
    client.post("/vignettes/vig-a/start")
    pages = [client.get(url).get_data(as_text=True) for url in (
        "/vignettes/", "/vignettes/vig-a", "/vignettes/vig-a/stages/1",
        "/vignettes/vig-a/stages/2", "/vignettes/vig-a/stages/3", "/vignettes/vig-a/review")]
    for html in pages:
        for marker in RUBRIC_MARKERS:
            assert marker not in html, marker
        assert "Problem areas: grief" not in html and "Expert formulation" not in html


def test_answers_persist_across_browser_sessions(app, client, trainee, vignette):
    client.post("/vignettes/vig-a/start")
    client.post("/vignettes/vig-a/stages/1", data={"answer": "transition"})
    other = app.test_client()  # a new browser: sign in again
    other.post("/login", data={"email": trainee.email, "password": DEFAULT_PASSWORD})
    resumed = other.post("/vignettes/vig-a/start")
    assert resumed.headers["Location"].endswith("/vignettes/vig-a/stages/2")
    stage_one = other.get("/vignettes/vig-a/stages/1").get_data(as_text=True)
    assert re.search(r'value="transition"[^>]*checked|checked[^>]*value="transition"',
                     stage_one)


def test_reveal_appears_after_the_stage_is_answered(client, trainee, vignette):
    client.post("/vignettes/vig-a/start")
    client.post("/vignettes/vig-a/stages/1", data={"answer": "grief"})
    assert "She agreed to work on grief." in client.get("/vignettes/vig-a/stages/2") \
        .get_data(as_text=True)


def test_too_many_choices_get_a_message_and_are_not_saved(client, trainee, vignette):
    client.post("/vignettes/vig-a/start")
    client.post("/vignettes/vig-a/stages/1", data={"answer": "grief"})
    page = client.post("/vignettes/vig-a/stages/2", data={"answer": ["ask", "plan", "ignore"]})
    assert page.status_code == 200
    assert "Choose at most 2 options" in page.get_data(as_text=True)
    assert "risk" not in db.session.scalar(select(VignetteDraft)).answers


def test_submit_scores_and_shows_feedback_for_every_option(client, trainee, vignette):
    work_through(client)
    token = db.session.scalar(select(VignetteDraft.token))
    response = client.post("/vignettes/vig-a/submit", data={"token": token})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    for text in ("A death: grief fits.", "Partly, but a death.", "Always ask directly.",
                 "Never ignore this.", "Link the death to the mood", "provisional",
                 "awaiting a supervisor", "Expert formulation: grief"):
        assert text in html, text
    attempt = db.session.scalar(select(VignetteAttempt))
    assert (attempt.score, attempt.status, attempt.provisional) == (1.0, "pending", True)
    assert db.session.scalar(select(func.count()).select_from(VignetteDraft)) == 0


def test_a_double_submit_stores_one_attempt(client, trainee, vignette):
    work_through(client)
    token = db.session.scalar(select(VignetteDraft.token))
    first = client.post("/vignettes/vig-a/submit", data={"token": token})
    second = client.post("/vignettes/vig-a/submit", data={"token": token})
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(VignetteAttempt)) == 1


def test_a_critical_choice_fails_and_is_explained(client, trainee, vignette):
    work_through(client, {"1": {"answer": "grief"}, "2": {"answer": ["ignore", "plan"]},
                          "3": {"answer": "x"}})
    token = db.session.scalar(select(VignetteDraft.token))
    html = client.get(client.post("/vignettes/vig-a/submit", data={"token": token})
                      .headers["Location"]).get_data(as_text=True)
    assert "Critical errors" in html and "you chose “Move on”" in html
    assert "you left out “Ask about plans”" in html
    assert db.session.scalar(select(VignetteAttempt.status)) == "failed"


def test_submitting_with_a_stage_unanswered_keeps_the_draft(client, trainee, vignette):
    client.post("/vignettes/vig-a/start")
    client.post("/vignettes/vig-a/stages/1", data={"answer": "grief"})
    token = db.session.scalar(select(VignetteDraft.token))
    response = client.post("/vignettes/vig-a/submit", data={"token": token})
    assert response.headers["Location"].endswith("/vignettes/vig-a/review")
    assert db.session.scalar(select(func.count()).select_from(VignetteAttempt)) == 0
    assert db.session.scalar(select(VignetteDraft.answers)) == {"focus": ["grief"]}


def test_a_draft_stays_on_the_version_it_was_started_on(client, trainee, vignette, make):
    client.post("/vignettes/vig-a/start")
    vignette.latest = False
    newer = vignette_data("vig-a", version=2)
    newer["stages"][0]["options"][0]["points"] = 1
    make.vignette("vig-a", data=newer)
    work_through(client)
    token = db.session.scalar(select(VignetteDraft.token))
    client.post("/vignettes/vig-a/submit", data={"token": token})
    attempt = db.session.scalar(select(VignetteAttempt))
    assert attempt.vignette_version == 1
    assert attempt.stage_results[0]["score"] == 1.0


def test_the_catalogue_shows_best_score_and_problem_areas_after_a_submission(
        client, trainee, vignette):
    work_through(client)
    token = db.session.scalar(select(VignetteDraft.token))
    client.post("/vignettes/vig-a/submit", data={"token": token})
    html = client.get("/vignettes/").get_data(as_text=True)
    assert "Problem areas: grief" in html
    assert "–" in html  # pending: no best score yet
    assert "Vignette vig-a" in client.get("/vignettes/?problem_area=grief").get_data(
        as_text=True)


def test_problem_area_filter_finds_only_attempted_cases(client, trainee, vignette):
    html = client.get("/vignettes/?problem_area=grief").get_data(as_text=True)
    assert "Vignette vig-a" not in html
    assert "only finds cases you have already submitted" in html


def test_supervisor_reads_their_trainees_attempts(client, org, make, login_as, vignette):
    trainee = login_as(make.user(org=org, role="trainee", name="Tia"))
    work_through(client)
    token = db.session.scalar(select(VignetteDraft.token))
    client.post("/vignettes/vig-a/submit", data={"token": token})
    supervisor = make.user(org=org, role="supervisor")
    make.assign(org, supervisor, trainee)
    login_as(supervisor)
    listing = client.get(f"/vignettes/trainees/{trainee.id}").get_data(as_text=True)
    assert "Vignette vig-a" in listing
    attempt = db.session.scalar(select(VignetteAttempt))
    assert "Trainee: Tia" in client.get(f"/vignettes/attempts/{attempt.id}").get_data(
        as_text=True)
    login_as(make.user(org=org, role="supervisor"))
    assert client.get(f"/vignettes/attempts/{attempt.id}").status_code == 404


def test_a_stage_is_frozen_once_the_next_stage_has_been_opened(client, trainee, vignette):
    """Issue 19, finding 6: the reveal of stage 1 (on stage 2) was read, then stage 1 was
    answered again with hindsight."""
    client.post("/vignettes/vig-a/start")
    client.post("/vignettes/vig-a/stages/1", data={"answer": "transition"})
    assert "She agreed to work on grief." in client.get("/vignettes/vig-a/stages/2") \
        .get_data(as_text=True)
    again = client.post("/vignettes/vig-a/stages/1", data={"answer": "grief"})
    assert again.status_code == 200
    assert "This answer is locked" in again.get_data(as_text=True)
    assert db.session.scalar(select(VignetteDraft.answers)) == {"focus": ["transition"]}
    page = client.get("/vignettes/vig-a/stages/1").get_data(as_text=True)
    assert "Your answer to this stage is locked" in page and "Continue to stage 2" in page
    assert "Save and continue" not in page


def test_a_stage_can_be_changed_until_the_trainee_moves_on(client, trainee, vignette):
    client.post("/vignettes/vig-a/start")
    client.get("/vignettes/vig-a/stages/1")
    client.post("/vignettes/vig-a/stages/1", data={"answer": "transition"})
    assert client.post("/vignettes/vig-a/stages/1", data={"answer": "grief"}).status_code == 303
    assert db.session.scalar(select(VignetteDraft.answers)) == {"focus": ["grief"]}


def test_stages_open_in_order_and_the_review_freezes_the_last(client, trainee, vignette):
    client.post("/vignettes/vig-a/start")
    skipped = client.get("/vignettes/vig-a/stages/3")
    assert skipped.headers["Location"].endswith("/vignettes/vig-a/stages/1")
    assert client.get("/vignettes/vig-a/review").headers["Location"].endswith("/stages/1")
    work_through(client)
    assert client.get("/vignettes/vig-a/review").status_code == 200
    last = client.post("/vignettes/vig-a/stages/3", data={"answer": "Something else."})
    assert "This answer is locked" in last.get_data(as_text=True)
