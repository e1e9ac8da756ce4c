"""Check pools, per-attempt draws, the retake cool-down and results that keep the key."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import module_data
from trainer.content.models import Module
from trainer.content.services import content_hash
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db


def pooled_module(cooldown: int | None = None, reveal: str | None = None) -> Module:
    """A module with nine questions (three per competency tag) of which each attempt asks 6."""
    data = module_data("pool")
    data["competencies"] = ["c1", "c2", "c3"]
    questions = []
    for n in range(9):
        questions.append({
            "id": f"p{n}", "prompt": f"Question {n}?", "kind": "single",
            "competencies": [f"c{n % 3 + 1}"],
            "options": [{"id": x, "label": f"Option {x} of {n}", "correct": x == "b",
                         "feedback": f"Feedback {x}{n}."} for x in "abcd"]})
    check = {"pass_mark": 0.8, "ask": 6, "questions": questions}
    if cooldown is not None:
        check["cooldown_minutes"] = cooldown
    if reveal:
        check["reveal"] = reveal
    data["check"] = check
    module = Module(key="pool", version=1, title="Pool", content_hash=content_hash(data),
                    data=data, position=1, core=True, minutes=20)
    db.session.add(module)
    db.session.commit()
    return module


@pytest.fixture
def org(make):
    return make.org()


@pytest.fixture
def headers(make, org, token_for):
    return token_for(make.user(org=org, role="trainee"))


def drawn(client, headers) -> dict:
    return client.get("/api/v1/modules/pool", headers=headers).get_json()


def submit(client, headers, right: bool):
    body = drawn(client, headers)
    answers = {q["id"]: ["b" if right else "a"] for q in body["questions"]}
    return client.post("/api/v1/modules/pool/check", headers=headers,
                       json={"answers": answers})


def test_each_attempt_asks_six_of_nine_spread_across_competencies(app, client, headers):
    pooled_module(cooldown=0)
    first = drawn(client, headers)
    assert len(first["questions"]) == 6 and first["attempt_number"] == 1
    tags = [int(q["id"][1:]) % 3 for q in first["questions"]]
    assert sorted(tags) == [0, 0, 1, 1, 2, 2]
    assert drawn(client, headers) == first  # a reload: the same draw and order
    draws = {tuple(q["id"] for q in first["questions"])}
    for _ in range(3):
        assert submit(client, headers, right=False).status_code == 201
        draws.add(tuple(q["id"] for q in drawn(client, headers)["questions"]))
    assert len(draws) > 1  # retakes are re-drawn


def test_answering_a_question_the_draw_did_not_ask_is_422(app, client, headers):
    module = pooled_module()
    asked = {q["id"] for q in drawn(client, headers)["questions"]}
    other = next(q["id"] for q in module.data["check"]["questions"] if q["id"] not in asked)
    answers = {qid: ["b"] for qid in asked} | {other: ["b"]}
    response = client.post("/api/v1/modules/pool/check", headers=headers,
                           json={"answers": answers})
    assert response.status_code == 422 and f"answers.{other}" in \
        response.get_json()["error"]["fields"]
    assert db.session.scalar(select(ModuleAttempt.id)) is None


def test_a_failed_check_names_no_keyed_option_and_the_pass_reveals_them(app, client, headers):
    pooled_module(cooldown=0)
    failed = submit(client, headers, right=False).get_json()
    assert failed["passed"] is False and failed["revealed"] is False
    for question in failed["questions"]:
        assert question["correct"] is False
        assert [f["option"] for f in question["feedback"]] == ["a"]  # only the chosen one
        assert "correct" not in question["feedback"][0]
    passed = submit(client, headers, right=True).get_json()
    assert passed["revealed"] is True
    assert all({f["option"] for f in q["feedback"] if f["correct"]} == {"b"}
               for q in passed["questions"])


def test_reveal_always_shows_the_key_on_a_failed_check(app, client, headers):
    pooled_module(cooldown=0, reveal="always")
    failed = submit(client, headers, right=False).get_json()
    assert failed["revealed"] is True and len(failed["questions"][0]["feedback"]) == 4


def test_a_retake_waits_the_default_cool_down(app, client, headers):
    pooled_module()  # no cooldown_minutes: the default of 10
    assert submit(client, headers, right=False).status_code == 201
    body = drawn(client, headers)
    assert body["retake_at"] is not None
    refused = submit(client, headers, right=True)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "cooldown"
    assert len(db.session.scalars(select(ModuleAttempt)).all()) == 1
    attempt = db.session.scalars(select(ModuleAttempt)).one()
    attempt.submitted_at -= timedelta(minutes=11)
    db.session.commit()
    assert submit(client, headers, right=True).status_code == 201


def test_the_pages_wait_then_redraw_and_hide_the_key(app, client, make, org, login_as):
    pooled_module()
    login_as(make.user(org=org, role="trainee"))
    page = client.get("/modules/pool/check").get_data(as_text=True)
    assert page.count('type="radio"') == 24  # six questions of four options
    fields = sorted(set(re.findall(r'name="(answer_p\d)"', page)))
    number = re.search(r'name="attempt_number"[^>]*value="(\d+)"', page)
    data = {name: "a" for name in fields} | {"submission_key": "one",
                                              "attempt_number": number.group(1)}
    result = client.post("/modules/pool/check", data=data)
    html = client.get(result.headers["Location"]).get_data(as_text=True)
    assert "not passed" in html and "Feedback a" in html and "Feedback b" not in html
    assert "correct answers and the feedback on every option are shown once you pass" in html
    assert "You can retake the check from" in html
    wait = client.get("/modules/pool/check").get_data(as_text=True)
    assert "You can retake this check from" in wait and 'type="radio"' not in wait
    again = client.post("/modules/pool/check", data=data)  # the same submit, repeated
    assert again.headers["Location"] == result.headers["Location"]


def test_a_form_drawn_for_an_attempt_already_submitted_is_refused(app, client, make, org,
                                                                  login_as):
    pooled_module(cooldown=0)
    login_as(make.user(org=org, role="trainee"))
    page = client.get("/modules/pool/check").get_data(as_text=True)
    fields = sorted(set(re.findall(r'name="(answer_p\d)"', page)))
    data = {name: "b" for name in fields} | {"attempt_number": "1"}
    assert client.post("/modules/pool/check", data={**data, "submission_key": "x"}) \
        .status_code == 303
    stale = client.post("/modules/pool/check", data={**data, "submission_key": "y"})
    assert stale.status_code == 303 and stale.headers["Location"].endswith("/modules/pool/check")
    assert len(db.session.scalars(select(ModuleAttempt)).all()) == 1
