"""Options reach each trainee in an order drawn per attempt, kept with the draft and attempt."""

import re

import pytest

from tests.factories import vignette_data
from trainer.extensions import db
from trainer.vignettes.models import VignetteAttempt, VignetteDraft

OPTIONS = ["grief", "transition", "deficits", "dispute", "none", "other"]


def many_options() -> dict:
    data = vignette_data("vig-a")
    focus = data["stages"][0]
    focus["options"] += [
        {"id": "dispute", "label": "Role dispute", "points": 0, "feedback": "No dispute."},
        {"id": "other", "label": "Something else", "points": 0, "feedback": "Not here."},
        {"id": "none", "label": "None of these", "points": 0, "feedback": "One fits.",
         "fixed": "last"}]
    data["stages"][1]["shuffle"] = False
    return data


@pytest.fixture
def org(make):
    return make.org()


@pytest.fixture
def vignette(make):
    return make.vignette("vig-a", data=many_options())


def shown_order(html: str) -> list[str]:
    return re.findall(r'<input[^>]*value="([a-z-]+)"', html)


def start_and_read(app, make, org, login_as_client) -> tuple:
    trainee = make.user(org=org, role="trainee")
    client = app.test_client()
    login_as_client(client, trainee)
    client.post("/vignettes/vig-a/start")
    return trainee, client, shown_order(client.get("/vignettes/vig-a/stages/1")
                                        .get_data(as_text=True))


@pytest.fixture
def sign_in():
    def login(client, user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return login


def test_trainees_see_their_own_orders_and_a_reload_shows_the_same(app, make, org, vignette,
                                                                    sign_in):
    orders = []
    for _ in range(4):
        _, client, order = start_and_read(app, make, org, sign_in)
        assert sorted(order) == sorted(["grief", "transition", "deficits", "dispute", "other",
                                        "none"])
        assert order[-1] == "none"  # fixed: last
        again = shown_order(client.get("/vignettes/vig-a/stages/1").get_data(as_text=True))
        assert again == order
        orders.append(tuple(order))
    assert len(set(orders)) > 1
    client.post("/vignettes/vig-a/stages/1", data={"answer": "grief"})
    stage_two = shown_order(client.get("/vignettes/vig-a/stages/2").get_data(as_text=True))
    assert stage_two == ["ask", "plan", "ignore"]  # shuffle: false keeps file order


def test_the_order_is_stored_with_the_draft_and_the_attempt_and_the_result_shows_it(
        app, make, org, vignette, sign_in):
    trainee, client, order = start_and_read(app, make, org, sign_in)
    draft = db.session.query(VignetteDraft).filter_by(user_id=trainee.id).one()
    assert draft.presented["focus"] == order
    client.post("/vignettes/vig-a/stages/1", data={"answer": "grief"})
    client.post("/vignettes/vig-a/stages/2", data={"answer": ["ask", "plan"]})
    client.post("/vignettes/vig-a/stages/3", data={"answer": "The death and the low mood."})
    token = re.search(r'name="token"[^>]*value="([0-9a-f]+)"',
                      client.get("/vignettes/vig-a/review").get_data(as_text=True)).group(1)
    done = client.post("/vignettes/vig-a/submit", data={"token": token})
    attempt = db.session.query(VignetteAttempt).filter_by(user_id=trainee.id).one()
    assert attempt.presented["focus"] == order
    html = client.get(done.headers["Location"]).get_data(as_text=True)
    labels = {"grief": "Grief", "transition": "Role transition",
              "deficits": "Interpersonal deficits", "dispute": "Role dispute",
              "other": "Something else", "none": "None of these"}
    positions = [html.index(f"<tr><td>{labels[oid]}</td>") for oid in order]
    assert positions == sorted(positions)  # the review lists them as they were shown


def test_the_next_attempt_gets_a_new_order_and_the_api_shows_the_next_one(
        app, client, make, org, vignette, token_for):
    trainee = make.user(org=org, role="trainee")
    headers = token_for(trainee)
    answers = {"focus": ["grief"], "risk": ["ask", "plan"], "reflect": "The death."}
    orders = []
    for _ in range(4):
        shown = client.get("/api/v1/vignettes/vig-a", headers=headers).get_json()
        order = [o["id"] for o in shown["stages"][0]["options"]]
        assert client.get("/api/v1/vignettes/vig-a", headers=headers).get_json() == shown
        attempt = client.post("/api/v1/vignettes/vig-a/attempts", headers=headers,
                              json={"answers": answers}).get_json()
        assert attempt["presented"]["focus"] == order
        assert [f["option"] for f in attempt["stages"][0]["feedback"]] == order
        orders.append(tuple(order))
    assert len(set(orders)) > 1


def test_attempts_from_before_orders_were_drawn_report_file_order(app, client, make, org,
                                                                  vignette, token_for):
    trainee = make.user(org=org, role="trainee")
    headers = token_for(trainee)
    body = client.post("/api/v1/vignettes/vig-a/attempts", headers=headers, json={
        "answers": {"focus": ["grief"], "risk": ["ask"], "reflect": "x"}}).get_json()
    db.session.get(VignetteAttempt, body["id"]).presented = None
    db.session.commit()
    again = client.get(f"/api/v1/attempts/{body['id']}", headers=headers).get_json()
    assert again["presented"]["focus"] == [o["id"] for o in many_options()["stages"][0]
                                           ["options"]]


def panel_vignette(kind: str) -> dict:
    data = vignette_data("vig-a")
    data["stages"][0] = {
        "id": "focus", "title": "Judgement", "prompt": "Which?", "kind": "single",
        "scoring": "panel", "weight": 1.0,
        "panel_source": {"kind": kind, "size": 12 if kind == "convened" else 1,
                         "date": "2026-11", "note": "Who set it."},
        "options": [{"id": "grief", "label": "Grief", "panel": 7, "feedback": "Most."},
                    {"id": "transition", "label": "Transition", "panel": 3, "feedback": "Some."}]}
    return data


@pytest.mark.parametrize("kind, words", [
    ("authors", "Partial credit set by the content authors where experts differ."),
    ("convened", "Partial credit from the answers of a panel of 12 clinicians (2026-11)."),
])
def test_a_panel_stage_says_where_its_credit_comes_from(client, make, org, token_for, login_as,
                                                        kind, words):
    make.vignette("vig-a", data=panel_vignette(kind))
    trainee = make.user(org=org, role="trainee")
    headers = token_for(trainee)
    body = client.post("/api/v1/vignettes/vig-a/attempts", headers=headers, json={
        "answers": {"focus": ["grief"], "risk": ["ask"], "reflect": "x"}}).get_json()
    assert body["stages"][0]["panel_note"] == words
    assert "panel_note" not in body["stages"][1]
    login_as(trainee)
    page = client.get(f"/vignettes/attempts/{body['id']}").get_data(as_text=True)
    assert words in page and (kind == "convened") == ("clinicians" in page)
