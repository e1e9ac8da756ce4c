"""API: vignette catalogue and detail without rubric, attempts, Idempotency-Key."""

import pytest

ANSWERS = {"focus": ["grief"], "risk": ["ask", "plan"], "reflect": "The death and the mood."}


@pytest.fixture
def org(make):
    return make.org()


@pytest.fixture
def headers(make, org, token_for):
    return token_for(make.user(org=org, role="trainee"))


@pytest.fixture(autouse=True)
def vignette(make):
    return make.vignette("vig-a")


def test_detail_has_the_spec_fields_and_no_rubric(client, headers):
    response = client.get("/api/v1/vignettes/vig-a", headers=headers)
    body = response.get_json()
    assert set(body) == {"id", "version", "title", "case", "stages"}
    assert [s["max_choices"] for s in body["stages"]] == [1, 2, None]
    assert body["stages"][2]["options"] == []
    text = response.get_data(as_text=True)
    for marker in ("points", "critical", "required", "feedback", "panel", "problem_areas",
                   "model_answer", "levels", "reveal", "expert_key", "A death"):
        assert marker not in text, marker


def test_attempt_object_matches_the_spec(client, headers):
    response = client.post("/api/v1/vignettes/vig-a/attempts", headers=headers,
                           json={"answers": ANSWERS})
    assert response.status_code == 201
    body = response.get_json()
    assert {"id", "vignette_id", "vignette_version", "submitted_at", "score", "provisional",
            "status", "critical_errors", "stages"} <= set(body)
    assert (body["score"], body["provisional"], body["status"]) == (1.0, True, "pending")
    focus = body["stages"][0]
    assert focus["selected"] == ["grief"] and focus["expert_key"] == ["grief"]
    transition = next(f for f in focus["feedback"] if f["option"] == "transition")
    assert transition == {"option": "transition", "points": 1, "chosen": False,
                          "text": "Partly, but a death."}
    assert [f["option"] for f in focus["feedback"]] == body["presented"]["focus"]
    text_stage = body["stages"][2]
    assert text_stage["text"] == ANSWERS["reflect"] and text_stage["score"] is None
    fetched = client.get(f"/api/v1/attempts/{body['id']}", headers=headers).get_json()
    assert fetched == body


def test_critical_errors_fail_the_attempt(client, headers):
    answers = {**ANSWERS, "risk": ["plan", "ignore"]}
    body = client.post("/api/v1/vignettes/vig-a/attempts", headers=headers,
                       json={"answers": answers}).get_json()
    assert body["status"] == "failed"
    assert body["critical_errors"] == [
        {"stage": "risk", "option": "ask", "kind": "omitted-required"},
        {"stage": "risk", "option": "ignore", "kind": "chose-critical"},
    ] or body["critical_errors"] == [
        {"stage": "risk", "option": "ignore", "kind": "chose-critical"},
        {"stage": "risk", "option": "ask", "kind": "omitted-required"},
    ]


@pytest.mark.parametrize("answers, field", [
    ({"focus": ["grief"], "risk": ["ask"]}, "answers.reflect"),
    ({**ANSWERS, "focus": ["grief", "transition"]}, "answers.focus"),
    ({**ANSWERS, "risk": ["ask", "plan", "ignore"]}, "answers.risk"),
    ({**ANSWERS, "focus": ["nope"]}, "answers.focus"),
    ({**ANSWERS, "reflect": "   "}, "answers.reflect"),
    ({**ANSWERS, "extra": ["x"]}, "answers.extra"),
    ({**ANSWERS, "risk": ["ask", "ask"]}, "answers.risk"),
    ({**ANSWERS, "focus": "grief"}, "answers.focus"),
])
def test_bad_answers_are_422(client, headers, answers, field):
    response = client.post("/api/v1/vignettes/vig-a/attempts", headers=headers,
                           json={"answers": answers})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_repeated_idempotency_key_returns_the_first_attempt(client, headers):
    first = client.post("/api/v1/vignettes/vig-a/attempts",
                        headers={**headers, "Idempotency-Key": "abc"}, json={"answers": ANSWERS})
    second = client.post("/api/v1/vignettes/vig-a/attempts",
                         headers={**headers, "Idempotency-Key": "abc"},
                         json={"answers": ANSWERS})
    third = client.post("/api/v1/vignettes/vig-a/attempts", headers=headers,
                        json={"answers": ANSWERS})
    assert (first.status_code, second.status_code, third.status_code) == (201, 200, 201)
    assert first.get_json()["id"] == second.get_json()["id"] != third.get_json()["id"]


def test_catalogue_reveals_problem_areas_only_after_an_attempt(client, headers):
    before = client.get("/api/v1/vignettes", headers=headers).get_json()["items"][0]
    assert "problem_areas" not in before and before["best_score"] is None
    assert client.get("/api/v1/vignettes?problem_area=grief",
                      headers=headers).get_json()["items"] == []
    client.post("/api/v1/vignettes/vig-a/attempts", headers=headers,
                json={"answers": {**ANSWERS, "risk": ["ask"]}})
    after = client.get("/api/v1/vignettes", headers=headers).get_json()["items"][0]
    assert after["problem_areas"] == ["grief"]
    assert after["best_score"] is None  # pending attempts do not count
    assert len(client.get("/api/v1/vignettes?problem_area=grief",
                          headers=headers).get_json()["items"]) == 1


def test_another_orgs_member_gets_404_for_an_attempt(client, headers, make, token_for):
    attempt = client.post("/api/v1/vignettes/vig-a/attempts", headers=headers,
                          json={"answers": ANSWERS}).get_json()
    outsider = token_for(make.user(org=make.org(), role="admin"))
    assert client.get(f"/api/v1/attempts/{attempt['id']}", headers=outsider).status_code == 404
