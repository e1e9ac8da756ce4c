"""Values no database column holds, anywhere in a request: numbers past the column's range
(SQLite raises OverflowError past 2**63, PostgreSQL past the column's type) and NUL characters
(PostgreSQL text cannot hold one). Each is a clean 404, 422 or 400, or the page as if the
filter were absent; never a 500."""

import re

import pytest
from sqlalchemy import func, select

from tests.factories import good_rating
from trainer.extensions import db

HUGE = "9" * 30
ODD = [HUGE, "2147483648", "1" + "0" * 5000, "\u00b2", "\u0661", "-1", "+1", " 1", "1e3"]


@pytest.fixture
def people(make):
    org = make.org(slug="org-a")
    return {role: make.user(org=org, role=role) for role in ("trainee", "supervisor", "admin")}


def int_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, path with every <int:...> replaced by HUGE) for each such route."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        path = re.sub(r"<int:[^>]+>", HUGE, rule.rule)
        path = re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "x", path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, path))
    return sorted(routes)


@pytest.mark.parametrize("role", ["trainee", "supervisor", "admin"])
def test_every_route_with_a_numeric_id_answers_404_for_a_huge_one(app, client, people, login_as,
                                                                  token_for, role):
    login_as(people[role])
    headers = token_for(people[role])
    routes = int_routes(app)
    assert len(routes) > 30
    for endpoint, method, path in routes:
        response = client.open(path, method=method, headers=headers, data={})
        response.close()
        assert response.status_code == 404, (endpoint, method, path, response.status_code)


@pytest.mark.parametrize("value", ODD)
def test_odd_user_references_are_404(client, people, token_for, value):
    headers = token_for(people["admin"])
    for url in (f"/api/v1/trainees/{value}/competencies",
                f"/api/v1/trainees/{value}/eligibility/ipt-practitioner"):
        assert client.get(url, headers=headers).status_code == 404, url


@pytest.mark.parametrize("value", ODD)
def test_odd_filters_and_pages_in_the_api_never_fail(client, people, token_for, value):
    headers = token_for(people["admin"])
    assert client.get("/api/v1/vignettes", query_string={"difficulty": value},
                      headers=headers).status_code == 200
    members = client.get("/api/v1/organisations/org-a/members", query_string={"page": value},
                         headers=headers)
    assert members.status_code in (200, 422)
    if members.status_code == 422:
        assert members.get_json()["error"]["fields"]["page"]


@pytest.mark.parametrize("value", ODD)
def test_odd_filters_on_pages_never_fail(client, people, login_as, value):
    login_as(people["admin"])
    for url in ("/vignettes/", "/competency/cohort"):
        response = client.get(url, query_string={"difficulty": value, "cohort": value})
        assert response.status_code in (200, 404), (url, response.status_code)


def test_a_huge_audit_page_number_does_not_fail(client, people, login_as):
    login_as(people["admin"])
    assert client.get("/org/audit", query_string={"page": HUGE}).status_code in (200, 404)


# --- NUL characters -----------------------------------------------------------------------

NUL = "a\x00b"


@pytest.fixture
def rated(make, token_for):
    org = make.org(slug="org-n")
    trainee = make.user(org=org, role="trainee")
    supervisor = make.user(org=org, role="supervisor")
    admin = make.user(org=org, role="admin")
    make.assign(org, supervisor, trainee)
    scale = make.scale()
    case = make.case(org, trainee, supervisor)
    make.vignette("vig-a")
    return {"scale": scale, "case": case, "admin": admin, "trainee": trainee,
            "supervisor": supervisor, "as_trainee": token_for(trainee),
            "as_supervisor": token_for(supervisor), "as_admin": token_for(admin)}


@pytest.mark.parametrize("path", ["/api/v1/organisations/a%00b/members", "/api/v1/vignettes/a%00b",
                                  "/api/v1/modules/a%00b", "/api/v1/verify/a%00b",
                                  "/api/v1/trainees/me/eligibility/a%00b"])
def test_a_nul_in_an_api_path_is_404(client, rated, path):
    response = client.get(path, headers=rated["as_admin"])
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_a_nul_in_an_api_query_string_is_422(client, rated):
    response = client.get("/api/v1/vignettes", query_string={"population": NUL},
                          headers=rated["as_trainee"])
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "invalid"


def test_a_nul_in_json_bodies_is_422_and_stores_nothing(client, rated):
    case, scale = rated["case"], rated["scale"]
    calls = [
        ("/api/v1/tokens", {}, {"email": NUL, "password": NUL}),
        (f"/api/v1/cases/{case.id}/sessions", rated["as_trainee"],
         {"number": 2, "date": "2026-11-03", "phase": "middle", "notes": NUL}),
        (f"/api/v1/sessions/{case.sessions[0].id}/ratings", rated["as_supervisor"],
         {"scale_id": scale.key, "purpose": "formative", **good_rating(scale.data, "initial"),
          "comments": [{"at": "01:00", "text": NUL}], "harmful_practice": NUL}),
        ("/api/v1/vignettes/vig-a/attempts", rated["as_trainee"], {"answers": {NUL: NUL}}),
    ]
    for url, headers, body in calls:
        response = client.post(url, headers=headers, json=body)
        assert response.status_code == 422, (url, response.status_code)
        assert response.get_json()["error"]["fields"] == {
            "_schema": ["Text may not contain NUL characters."]}
    assert len(case.sessions) == 1


@pytest.mark.parametrize(("url", "form"), [
    ("/login", {"email": NUL, "password": NUL}),
    ("/org/people", {"email": "x@example.org", "role": "trainee", "name": NUL}),
    ("/org/cohorts", {"name": NUL}),
])
def test_a_nul_in_a_form_field_is_400(client, rated, login_as, url, form):
    if url != "/login":
        login_as(rated["admin"])
    assert client.post(url, data=form).status_code == 400


def test_a_nul_in_a_page_query_string_is_400(client, rated, login_as):
    login_as(rated["admin"])
    assert client.get("/vignettes/", query_string={"population": NUL}).status_code == 400


# --- issue 19, finding 12: bodies no route should choke on ----------------------------------

DEEP = ["[" * 100_000, "{\"a\":" * 100_000, "[" * 2000 + "]" * 2000]


def body_routes(rated) -> list[tuple[str, dict]]:
    case, session = rated["case"], rated["case"].sessions[0]
    return [("/api/v1/tokens", {}), ("/api/v1/cases", rated["as_trainee"]),
            (f"/api/v1/cases/{case.id}/sessions", rated["as_trainee"]),
            (f"/api/v1/sessions/{session.id}/ratings", rated["as_supervisor"]),
            ("/api/v1/certificates", rated["as_admin"]),
            ("/api/v1/modules/mod-a/check", rated["as_trainee"]),
            ("/api/v1/vignettes/vig-a/attempts", rated["as_trainee"])]


@pytest.mark.parametrize("body", DEEP, ids=["arrays", "objects", "closed"])
def test_deeply_nested_json_is_a_400_on_every_route_with_a_body(client, rated, make, body):
    """The old parser ran out of stack: 500 on all of them, the anonymous token route too."""
    make.module("mod-a")
    for url, headers in body_routes(rated):
        response = client.post(url, headers=headers, data=body,
                               content_type="application/json")
        assert response.status_code == 400, (url, response.status_code)
        assert response.get_json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("text, message", [
    ("a\ud800b", "unpaired surrogate"), ("\udfff", "unpaired surrogate"),
    ("bell\x07", "control characters"), ("esc\x1b[31m", "control characters")])
def test_untypable_text_in_json_is_422_and_stores_nothing(client, rated, text, message):
    """Lone surrogates reached the database driver or argon2 (500)."""
    import json

    case, scale = rated["case"], rated["scale"]
    calls = [
        ("/api/v1/tokens", {}, {"email": text, "password": "x"}),
        ("/api/v1/tokens", {}, {"email": "a@example.org", "password": text}),
        (f"/api/v1/cases/{case.id}/sessions", rated["as_trainee"],
         {"number": 2, "date": "2026-11-03", "phase": "middle", "notes": text}),
        (f"/api/v1/sessions/{case.sessions[0].id}/ratings", rated["as_supervisor"],
         {"scale_id": text, "purpose": "formative", **good_rating(scale.data, "initial")}),
        (f"/api/v1/sessions/{case.sessions[0].id}/ratings", rated["as_supervisor"],
         {"scale_id": scale.key, "purpose": "formative", **good_rating(scale.data, "initial"),
          "comments": [{"at": "01:00", "text": text}]}),
    ]
    for url, headers, body in calls:
        response = client.post(url, headers=headers, data=json.dumps(body),
                               content_type="application/json")
        assert response.status_code == 422, (url, response.status_code)
        assert message in response.get_json()["error"]["fields"]["_schema"][0]
    assert len(case.sessions) == 1


@pytest.mark.parametrize("number", [2 ** 64, 2 ** 70, int("9" * 30), 201])
def test_a_session_number_past_the_range_is_422(client, rated, number):
    response = client.post(f"/api/v1/cases/{rated['case'].id}/sessions",
                           headers=rated["as_trainee"],
                           json={"number": number, "date": "2026-11-03", "phase": "middle"})
    assert response.status_code == 422
    assert "number" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("value", ["\u00b2", "1" + "0" * 5000, str(2 ** 64), "\u0663"])
def test_odd_numbers_in_the_rating_form_are_a_form_error(client, rated, login_as, value):
    """`'²'.isdigit()` is true and `int('²')` fails: the old form answered 500."""
    scale = rated["scale"]
    session = rated["case"].sessions[0]
    login_as(rated["supervisor"])
    form = {"purpose": "formative", "global": value, "action": "submit"}
    for item in scale.data["items"]:
        form[f"item-{item['id']}"] = value
    response = client.post(f"/supervision/sessions/{session.id}/rate", data=form)
    assert response.status_code in (200, 400, 422), response.status_code
    from trainer.supervision.models import SessionRating

    assert db.session.scalar(select(func.count()).select_from(SessionRating).where(
        SessionRating.status == "submitted")) == 0


def test_a_control_character_in_a_form_field_is_400(client, rated, login_as):
    login_as(rated["admin"])
    response = client.post("/org/cohorts", data={"name": "Spring\x1b intake"})
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)


def test_the_request_cap_is_1_mb(app):
    assert app.config["REQUEST_MAX_BYTES"] == 1024 * 1024


@pytest.mark.options(REQUEST_MAX_BYTES=2048)
def test_bodies_over_the_cap_are_413_except_recording_uploads(client, rated):
    """A 50 MB session note was stored: every body but an upload's stops at the cap (1 MB;
    2 KB here, so the upload below stays in memory)."""
    import io

    from tests.factories import TONE

    case = rated["case"]
    response = client.post(f"/api/v1/cases/{case.id}/sessions", headers=rated["as_trainee"],
                           json={"number": 2, "date": "2026-11-03", "phase": "middle",
                                 "notes": "n" * 3000})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert len(case.sessions) == 1
    tone = TONE.read_bytes()
    assert len(tone) > 2048
    upload = client.put(f"/api/v1/sessions/{case.sessions[0].id}/recording",
                        headers=rated["as_trainee"],
                        data={"file": (io.BytesIO(tone), "s.wav"), "consent": "yes"},
                        content_type="multipart/form-data")
    assert upload.status_code == 201, upload.get_json()


def test_text_fields_have_a_length_limit_in_the_api_document(client, rated):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    session_in = next(s for name, s in schemas.items() if name.startswith("SessionIn"))
    assert session_in["properties"]["notes"]["maxLength"] == 20_000
    revoke = next(s for name, s in schemas.items() if name.startswith("RevokeIn"))
    assert revoke["properties"]["reason"]["maxLength"] == 2000
    response = client.post(f"/api/v1/cases/{rated['case'].id}/sessions",
                           headers=rated["as_trainee"],
                           json={"number": 2, "date": "2026-11-03", "phase": "middle",
                                 "notes": "x" * 20_001})
    assert response.status_code == 422
    assert "notes" in response.get_json()["error"]["fields"]
