"""Values no database column holds, anywhere in a request: numbers past the column's range
(SQLite raises OverflowError past 2**63, PostgreSQL past the column's type) and NUL characters
(PostgreSQL text cannot hold one). Each is a clean 404, 422 or 400, or the page as if the
filter were absent; never a 500."""

import re

import pytest

from tests.factories import good_rating

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
