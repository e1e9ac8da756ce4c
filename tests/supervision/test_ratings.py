"""Session ratings: the scale's rules, the API, flags and follow-ups, self-ratings."""

import pytest
from sqlalchemy import select

from tests.factories import good_rating
from trainer.extensions import db
from trainer.notifications.models import Notification
from trainer.supervision.models import HarmFollowUp, SessionRating
from trainer.supervision.scales import parse_timestamp, rating_result

SCALE = {"min": 1, "max": 5, "pass_mean": 3.0, "item_min": 2, "essential_min": 3,
         "global_min": 3, "items": [
             {"id": "a", "essential": True, "na_allowed": False, "phases": ["middle"]},
             {"id": "b", "essential": False, "na_allowed": True, "phases": ["middle"]},
             {"id": "c", "essential": False, "na_allowed": False, "phases": ["middle"]}]}


@pytest.mark.parametrize("items, global_score, harmful, mean, competent, reasons", [
    ({"a": 3, "b": 3, "c": 3}, 3, False, 3.0, True, []),
    ({"a": 4, "b": None, "c": 3}, 4, False, 3.5, True, []),
    ({"a": 3, "b": 2, "c": 3}, 3, False, 2.67, False, ["mean-below"]),
    ({"a": 5, "b": 1, "c": 5}, 4, False, 3.67, False, ["item-below-min"]),
    ({"a": 2, "b": 5, "c": 5}, 4, False, 4.0, False, ["essential-below-min"]),
    ({"a": 4, "b": 4, "c": 4}, 2, False, 4.0, False, ["global-below-min"]),
    ({"a": 5, "b": 5, "c": 5}, 5, True, 5.0, False, ["harmful-practice"]),
    ({"a": 3, "b": 4, "c": 4}, 3, False, 3.67, True, []),
    ({"a": 1, "b": None, "c": 2}, 1, True, 1.5, False,
     ["mean-below", "item-below-min", "essential-below-min", "global-below-min",
      "harmful-practice"]),
])
def test_rating_result_rules(items, global_score, harmful, mean, competent, reasons):
    assert rating_result(SCALE, items, global_score, harmful) == (mean, competent, reasons)


def test_mean_rounds_half_up_to_two_places():
    scale = {**SCALE, "items": [{"id": str(n), "essential": False, "na_allowed": False,
                                 "phases": ["middle"]} for n in range(8)]}
    items = {str(n): score for n, score in enumerate([3, 3, 3, 3, 3, 3, 4, 4])}  # 3.25
    assert rating_result(scale, items, 3, False)[0] == 3.25
    items = {str(n): score for n, score in enumerate([3, 3, 3, 3, 3, 3, 3, 4])}  # 3.125
    assert rating_result(scale, items, 3, False)[0] == 3.13


@pytest.mark.parametrize("text, seconds", [("00:00", 0), ("01:15", 75), ("75:30", 4530)])
def test_timestamps(text, seconds):
    assert parse_timestamp(text) == seconds


@pytest.mark.parametrize("text", ["1:5", "aa:bb", "01:60", "", "90"])
def test_bad_timestamps(text):
    with pytest.raises(ValueError):
        parse_timestamp(text)


@pytest.fixture
def world(make, token_for):
    org = make.org()
    trainee = make.user(org=org, role="trainee")
    supervisor = make.user(org=org, role="supervisor")
    admin = make.user(org=org, role="admin")
    make.assign(org, supervisor, trainee)
    scale = make.scale()
    case = make.case(org, trainee, supervisor)
    session = case.sessions[0]
    make.recording(session, trainee)
    return {"org": org, "trainee": trainee, "supervisor": supervisor, "admin": admin,
            "scale": scale, "session": session,
            "sup": token_for(supervisor), "own": token_for(trainee)}


def rate(client, world, body, headers=None):
    return client.post(f"/api/v1/sessions/{world['session'].id}/ratings",
                       headers=headers or world["sup"],
                       json={"scale_id": "ipt-session-quality", "purpose": "formative", **body})


def test_a_complete_rating_is_scored(client, world):
    body = good_rating(world["scale"].data, "initial", 4)
    body["comments"] = [{"at": "01:15", "text": "Good link of mood and events"}]
    response = rate(client, world, body)
    assert response.status_code == 201
    result = response.get_json()
    assert (result["purpose"], result["mean"], result["competent"], result["reasons"]) == \
        ("formative", 4.0, True, [])
    rating = db.session.get(SessionRating, result["id"])
    assert [c.at for c in rating.comments] == ["01:15"]


def test_missing_item_out_of_range_and_bad_na_are_422(client, world):
    body = good_rating(world["scale"].data, "initial", 4)
    items = dict(body["items"])
    first, second = list(items)[:2]
    del items[first]
    items[second] = 9
    not_na = next(i["id"] for i in world["scale"].data["items"]
                  if "initial" in i["phases"] and not i["na_allowed"] and i["id"] != first)
    items[not_na] = None
    response = rate(client, world, {**body, "items": items})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {f"items.{first}", f"items.{second}", f"items.{not_na}"} <= set(fields)
    assert db.session.scalar(select(SessionRating).where(
        SessionRating.status == "submitted")) is None


def test_an_item_of_another_phase_is_422(client, world):
    body = good_rating(world["scale"].data, "initial", 4)
    other = next(i["id"] for i in world["scale"].data["items"] if "initial" not in i["phases"])
    response = rate(client, world, {**body, "items": {**body["items"], other: 3}})
    assert response.status_code == 422
    assert f"items.{other}" in response.get_json()["error"]["fields"]


def test_a_flag_given_as_empty_string_is_422(client, world):
    body = good_rating(world["scale"].data, "initial", 4, harmful_practice="")
    response = rate(client, world, body)
    assert response.status_code == 422
    assert "harmful_practice" in response.get_json()["error"]["fields"]


def test_harm_flag_fails_the_session_opens_follow_up_and_notifies(client, world):
    body = good_rating(world["scale"].data, "initial", 5,
                       harmful_practice="Told the client to stop medication",
                       client_at_risk="Mentioned a plan to overdose")
    result = rate(client, world, body).get_json()
    assert result["competent"] is False and result["reasons"] == ["harmful-practice"]
    follow_up = db.session.scalar(select(HarmFollowUp))
    assert follow_up is not None and follow_up.due_at > follow_up.opened_at
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
    assert (world["admin"].id, "harm") in kinds
    assert (world["admin"].id, "client-at-risk") in kinds
    assert (world["trainee"].id, "client-at-risk") in kinds


def test_trainee_may_only_self_rate_and_self_is_never_evidence(client, world):
    body = good_rating(world["scale"].data, "initial", 3)
    assert rate(client, world, body, headers=world["own"]).status_code == 403
    response = rate(client, world, {**body, "purpose": "self"}, headers=world["own"])
    assert response.status_code == 201
    assert response.get_json()["purpose"] == "self"


def test_a_supervisor_not_assigned_gets_404(client, world, make, token_for):
    stranger = token_for(make.user(org=world["org"], role="supervisor"))
    body = good_rating(world["scale"].data, "initial", 4)
    assert rate(client, world, body, headers=stranger).status_code == 404


def test_the_supervisor_rates_on_the_page_and_the_trainee_sees_it(client, world, login_as):
    login_as(world["supervisor"])
    url = f"/supervision/sessions/{world['session'].id}/rate"
    page = client.get(url)
    assert page.status_code == 200
    form = {"action": "draft", "purpose": "formative"}
    items = [i for i in world["scale"].data["items"] if "initial" in i["phases"]]
    form.update({f"item-{i['id']}": "4" for i in items[:2]})
    assert client.post(url, data=form).status_code == 200
    draft = db.session.scalar(select(SessionRating).where(SessionRating.status == "draft"))
    assert len(draft.items) == 2
    form.update({f"item-{i['id']}": "4" for i in items})
    form.update({"action": "submit", "global": "4", "comment_at": "00:01",
                 "comment_text": "Opens with mood and events"})
    submitted = client.post(url, data=form)
    assert submitted.status_code == 303
    login_as(world["trainee"])
    html = client.get(submitted.headers["Location"]).get_data(as_text=True)
    assert "competent" in html and "Opens with mood and events" in html
    assert 'data-seek="1"' in html


def test_submitting_an_incomplete_rating_on_the_page_keeps_the_draft(client, world, login_as):
    login_as(world["supervisor"])
    url = f"/supervision/sessions/{world['session'].id}/rate"
    item = next(i for i in world["scale"].data["items"] if "initial" in i["phases"])
    page = client.post(url, data={"action": "submit", "purpose": "formative",
                                  f"item-{item['id']}": "4"})
    assert page.status_code == 200
    assert "Rate this item." in page.get_data(as_text=True)
    draft = db.session.scalar(select(SessionRating))
    assert draft.status == "draft" and draft.items == {item["id"]: 4}
