"""API: module catalogue, module detail without answers, knowledge-check submission."""

import pytest


@pytest.fixture
def org(make):
    return make.org()


@pytest.fixture
def headers(make, org, token_for):
    return token_for(make.user(org=org, role="trainee"))


def test_catalogue_has_the_spec_fields(client, make, headers):
    make.module("mod-a")
    body = client.get("/api/v1/modules", headers=headers).get_json()
    item = body["items"][0]
    assert set(item) == {"id", "version", "title", "minutes", "core", "prerequisites", "status"}
    assert item["status"] == "not-started"


def test_module_detail_hides_correct_flags_and_feedback(client, make, headers):
    make.module("mod-a")
    response = client.get("/api/v1/modules/mod-a", headers=headers)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert '"correct"' not in text and "feedback" not in text and "Yes, a." not in text
    assert response.get_json()["sections"][0]["html"].startswith("<p>")


def test_check_submission_scores_and_explains(client, make, headers):
    make.module("mod-a")
    response = client.post("/api/v1/modules/mod-a/check", headers=headers,
                           json={"answers": {"q1": ["a"], "q2": ["a"]}})
    assert response.status_code == 201
    body = response.get_json()
    assert body["score"] == 0.5 and body["passed"] is True
    assert [(q["id"], q["correct"]) for q in body["questions"]] == [("q1", True), ("q2", False)]
    assert body["revealed"] is True  # passed: every option, with its correct flag
    assert {(f["option"], f["correct"]) for f in body["questions"][1]["feedback"]} \
        == {("a", True), ("b", True), ("c", False)}
    assert client.get("/api/v1/modules", headers=headers).get_json()["items"][0]["status"] \
        == "passed"


@pytest.mark.parametrize("answers, field", [
    ({"q1": ["a"]}, "answers.q2"),
    ({"q1": ["a"], "q2": ["a"], "q9": ["a"]}, "answers.q9"),
    ({"q1": ["a", "b"], "q2": ["a"]}, "answers.q1"),
    ({"q1": ["z"], "q2": ["a"]}, "answers.q1"),
])
def test_bad_answers_are_422_with_the_field(client, make, headers, answers, field):
    make.module("mod-a")
    response = client.post("/api/v1/modules/mod-a/check", headers=headers,
                           json={"answers": answers})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_unknown_module_is_404(client, headers):
    assert client.get("/api/v1/modules/nope", headers=headers).status_code == 404
    assert client.post("/api/v1/modules/nope/check", headers=headers,
                       json={"answers": {}}).status_code == 404


def test_locked_module_check_is_403(client, make, headers):
    make.module("mod-a")
    make.module("mod-b", prerequisites=["mod-a"])
    response = client.post("/api/v1/modules/mod-b/check", headers=headers,
                           json={"answers": {"q1": ["a"], "q2": ["a", "b"]}})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "locked"
