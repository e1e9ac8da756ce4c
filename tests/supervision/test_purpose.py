"""What a rating counts for: the Purpose chosen on the form, summative only on drawn sessions,
the queue until the summative rating, and blind second ratings drawn from summative ones."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import good_rating
from trainer.calibration.models import CalibrationSettings, DoubleRating
from trainer.cases.services import log_session
from trainer.extensions import db
from trainer.supervision.models import SessionRating, SummativeDraw
from trainer.supervision.services import NOT_DRAWN


@pytest.fixture
def world(make, token_for):
    org = make.org()
    trainee = make.user(org=org, role="trainee")
    supervisor = make.user(org=org, role="supervisor")
    make.assign(org, supervisor, trainee)
    scale = make.scale()
    case = make.case(org, trainee, supervisor)
    log_session(trainee, case, {"number": 2, "date": date(2026, 11, 9), "phase": "initial"})
    db.session.commit()
    undrawn, drawn = case.sessions
    for session in (undrawn, drawn):
        make.recording(session, trainee)
    db.session.add(SummativeDraw(case_id=case.id, session_id=drawn.id))
    db.session.commit()
    return {"org": org, "trainee": trainee, "supervisor": supervisor, "scale": scale,
            "case": case, "undrawn": undrawn, "drawn": drawn, "sup": token_for(supervisor)}


def form_for(world, purpose: str, action: str = "submit") -> dict:
    form = {f"item-{key}": str(score) for key, score in
            good_rating(world["scale"].data, "initial", 4)["items"].items()}
    return {**form, "global": "4", "purpose": purpose, "action": action}


def rate_url(session, purpose: str) -> str:
    return f"/supervision/sessions/{session.id}/rate?purpose={purpose}"


def ratings(status: str = "submitted") -> list[SessionRating]:
    return list(db.session.scalars(select(SessionRating).where(SessionRating.status == status)))


def count_ratings() -> int:
    return db.session.scalar(select(func.count(SessionRating.id)))


def test_summative_chosen_on_a_formative_link_is_saved_as_summative(client, world, login_as):
    login_as(world["supervisor"])
    response = client.post(rate_url(world["drawn"], "formative"),
                           data=form_for(world, "summative"))
    assert response.status_code == 303
    [rating] = ratings()
    assert (rating.purpose, rating.drawn) == ("summative", True)


def test_formative_chosen_on_a_summative_link_is_saved_as_formative(client, world, login_as):
    login_as(world["supervisor"])
    response = client.post(rate_url(world["drawn"], "summative"),
                           data=form_for(world, "formative"))
    assert response.status_code == 303
    assert [r.purpose for r in ratings()] == ["formative"]


def test_summative_on_an_undrawn_session_is_refused_next_to_purpose(client, world, login_as):
    login_as(world["supervisor"])
    response = client.post(rate_url(world["undrawn"], "summative"),
                           data=form_for(world, "summative"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    purpose_field = html[html.index('<label for="purpose">'):html.index('<label for="item-')]
    assert NOT_DRAWN.replace("'", "&#39;") in purpose_field
    assert ratings() == []
    [draft] = ratings("draft")  # what was typed is kept, as with any refused submission
    assert draft.global_score == 4


def test_the_link_only_preselects_the_purpose(client, world, login_as):
    login_as(world["supervisor"])
    html = client.get(rate_url(world["drawn"], "summative")).get_data(as_text=True)
    assert '<option value="summative" selected>' in html
    html = client.get(rate_url(world["drawn"], "bogus")).get_data(as_text=True)
    assert '<option value="formative" selected>' in html


def test_opening_the_rating_page_writes_nothing(client, world, login_as):
    login_as(world["supervisor"])
    assert client.get(rate_url(world["drawn"], "summative")).status_code == 200
    assert count_ratings() == 0


@pytest.mark.parametrize("purpose", ["", "bogus", "self"])
def test_a_purpose_the_supervisor_cannot_give_changes_nothing(client, world, login_as, purpose):
    login_as(world["supervisor"])
    response = client.post(rate_url(world["drawn"], "formative"),
                           data=form_for(world, purpose))
    assert response.status_code == 200
    assert "Choose formative or summative." in response.get_data(as_text=True)
    assert count_ratings() == 0


def test_a_summative_draft_on_an_undrawn_session_is_kept_but_cannot_be_submitted(
        client, world, login_as):
    login_as(world["supervisor"])
    url = rate_url(world["undrawn"], "formative")
    assert client.post(url, data=form_for(world, "summative", "draft")).status_code == 200
    assert [r.purpose for r in ratings("draft")] == ["summative"]
    assert client.post(url, data=form_for(world, "formative")).status_code == 303
    assert [r.purpose for r in ratings()] == ["formative"]
    assert ratings("draft") == []  # the one draft took the chosen purpose


def test_api_refuses_summative_on_an_undrawn_session_and_changes_nothing(client, world):
    body = {"scale_id": "ipt-session-quality", "purpose": "summative",
            **good_rating(world["scale"].data, "initial", 4)}
    response = client.post(f"/api/v1/sessions/{world['undrawn'].id}/ratings",
                           headers=world["sup"], json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["fields"] == {"purpose": [NOT_DRAWN]}
    assert error["code"] and error["message"]
    assert count_ratings() == 0


def test_api_reports_purpose_beside_item_problems(client, world):
    body = {"scale_id": "ipt-session-quality", "purpose": "summative", "items": {},
            "global": 9}
    response = client.post(f"/api/v1/sessions/{world['undrawn'].id}/ratings",
                           headers=world["sup"], json=body)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"purpose", "global"} <= set(fields)


def test_api_saves_summative_on_a_drawn_session(client, world):
    body = {"scale_id": "ipt-session-quality", "purpose": "summative",
            **good_rating(world["scale"].data, "initial", 4)}
    response = client.post(f"/api/v1/sessions/{world['drawn'].id}/ratings",
                           headers=world["sup"], json=body)
    assert response.status_code == 201 and response.get_json()["purpose"] == "summative"
    assert db.session.get(SessionRating, response.get_json()["id"]).drawn is True


def queue_html(client) -> str:
    return client.get("/supervision/queue").get_data(as_text=True)


def test_a_drawn_session_stays_in_the_queue_until_its_summative_rating(client, world, login_as):
    login_as(world["supervisor"])
    drawn_link = f"/supervision/sessions/{world['drawn'].id}/rate?purpose=summative"
    client.post(rate_url(world["drawn"], "summative"), data=form_for(world, "formative"))
    client.post(rate_url(world["undrawn"], "formative"), data=form_for(world, "formative"))
    html = queue_html(client)
    assert drawn_link in html and "drawn: summative" in html
    assert f"/supervision/sessions/{world['undrawn'].id}/rate" not in html
    client.post(rate_url(world["drawn"], "summative"), data=form_for(world, "summative"))
    assert drawn_link not in queue_html(client)


def test_only_a_summative_rating_is_drawn_for_a_blind_second_rating(world, make):
    from trainer.calibration.services import rate_gold
    from trainer.supervision.services import draft_rating, submit_rating

    other = make.user(org=world["org"], role="supervisor")
    for score in (2, 3, 5):  # `other` rates three gold standards as the consensus did
        gold = make.gold(world["org"], other, score, title=f"Gold {score}")
        rate_gold(other, world["org"].id, gold, gold.consensus_items, gold.consensus_global)
    db.session.add(CalibrationSettings(organisation_id=world["org"].id, double_share=1.0))
    scale, supervisor = world["scale"], world["supervisor"]
    for session, purpose in ((world["undrawn"], "formative"), (world["drawn"], "formative")):
        submit_rating(supervisor, draft_rating(supervisor, session, purpose, scale),
                      good_rating(scale.data, "initial", 4))
    assert db.session.scalar(select(DoubleRating)) is None
    first = submit_rating(supervisor, draft_rating(supervisor, world["drawn"], "summative",
                                                   scale), good_rating(scale.data, "initial"))
    draw = db.session.scalar(select(DoubleRating))
    assert (draw.first_rating_id, draw.second_rater_id) == (first.id, other.id)


def test_a_waiting_second_rating_is_in_the_raters_queue(client, world, make, login_as):
    from trainer.supervision.services import draft_rating, submit_rating

    scale, supervisor = world["scale"], world["supervisor"]
    first = submit_rating(supervisor, draft_rating(supervisor, world["drawn"], "summative",
                                                   scale), good_rating(scale.data, "initial"))
    db.session.commit()
    second_rater = make.user(org=world["org"], role="supervisor")
    draw = make.double_rating(world["org"], first.id, second_rater)
    login_as(second_rater)
    html = queue_html(client)
    assert "Blind second ratings for you" in html
    assert f"/calibration/second/{draw.id}" in html
    assert "No recordings to rate yet" in html  # none of their own trainees
    form = {k: v for k, v in form_for(world, "summative").items() if k not in ("purpose",
                                                                               "action")}
    assert client.post(f"/calibration/second/{draw.id}", data=form).status_code == 303
    assert f"/calibration/second/{draw.id}" not in queue_html(client)
