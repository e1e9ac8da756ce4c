"""API foundation: tokens, /me, the error object, pagination, the OpenAPI document."""

from datetime import datetime

import pytest

from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def trainee(make):
    org = make.org(slug="west", name="West IPT")
    return make.user(org=org, role="trainee", email="tina@example.org", name="Tina")


def test_token_flow_create_use_revoke(client, trainee):
    created = client.post("/api/v1/tokens", json={"email": "tina@example.org",
                                                  "password": DEFAULT_PASSWORD})
    assert created.status_code == 201
    body = created.get_json()
    assert datetime.fromisoformat(body["expires_at"]).tzinfo is not None
    headers = {"Authorization": f"Bearer {body['token']}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.get_json() == {
        "id": trainee.id, "email": "tina@example.org", "name": "Tina",
        "memberships": [{"organisation": {"slug": "west", "name": "West IPT"},
                         "role": "trainee"}],
    }
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    gone = client.get("/api/v1/me", headers=headers)
    assert gone.status_code == 401
    assert gone.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("email, password", [
    ("tina@example.org", "wrong-password-entirely"),
    ("nobody@example.org", "wrong-password-entirely"),
])
def test_wrong_credentials_get_the_same_401(client, trainee, email, password):
    response = client.post("/api/v1/tokens", json={"email": email, "password": password})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_missing_field_is_422_with_the_field_path(client, trainee):
    response = client.post("/api/v1/tokens", json={"email": "tina@example.org"})
    assert response.status_code == 422
    assert "password" in response.get_json()["error"]["fields"]


def test_malformed_json_is_400_with_the_error_object(client):
    response = client.post("/api/v1/tokens", data="{not json",
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_unknown_api_path_is_404_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_is_405_json(client):
    response = client.get("/api/v1/tokens")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_the_session_cookie_does_not_authenticate_the_api(client, trainee):
    client.post("/login", data={"email": trainee.email, "password": DEFAULT_PASSWORD})
    assert client.get("/trainee").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_a_password_change_revokes_api_tokens(client, trainee, token_for, login_as):
    headers = token_for(trainee)
    login_as(trainee)
    new = "amber-canyon-whistle-82"
    response = client.post("/account/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 303
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_token_route_is_rate_limited_on_failures(client, trainee):
    for _ in range(10):
        client.post("/api/v1/tokens", json={"email": trainee.email, "password": "nope-nope"})
    limited = client.post("/api/v1/tokens", json={"email": trainee.email,
                                                  "password": DEFAULT_PASSWORD})
    assert limited.status_code == 429
    assert limited.get_json()["error"]["code"] == "rate_limited"


def test_members_list_is_paginated_for_admins(client, make, token_for):
    org = make.org(slug="big")
    admin = make.user(org=org, role="admin", name="Aaron")
    for n in range(4):
        make.user(org=org, role="trainee", name=f"Trainee {n}")
    headers = token_for(admin)
    page = client.get("/api/v1/organisations/big/members?page=2&per_page=2", headers=headers)
    assert page.status_code == 200
    body = page.get_json()
    assert (body["page"], body["per_page"], body["total"]) == (2, 2, 5)
    assert [item["name"] for item in body["items"]] == ["Trainee 1", "Trainee 2"]
    capped = client.get("/api/v1/organisations/big/members?per_page=1000", headers=headers)
    assert capped.get_json()["per_page"] == 200


def test_members_list_hides_other_orgs_and_forbids_non_admins(client, make, token_for):
    org = make.org(slug="mine")
    trainee = make.user(org=org, role="trainee")
    outsider = make.user(org=make.org(), role="admin")
    assert client.get("/api/v1/organisations/mine/members",
                      headers=token_for(trainee)).status_code == 403
    assert client.get("/api/v1/organisations/mine/members",
                      headers=token_for(outsider)).status_code == 404


def test_bad_pagination_is_422(client, make, token_for):
    org = make.org(slug="p")
    headers = token_for(make.user(org=org, role="admin"))
    assert client.get("/api/v1/organisations/p/members?page=0",
                      headers=headers).status_code == 422


def test_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert "TokenRequest" in document["components"]["schemas"]
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi_document":
            path = rule.rule.replace("<", "{").replace(">", "}")
            path = path.replace("{int:", "{").replace("{path:", "{")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented, (path, method)
    token_op = document["paths"]["/api/v1/tokens"]["post"]
    assert "201" in token_op["responses"]
