"""Sign-in, sign-out and the session version."""

import pytest

from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def trainee(make):
    return make.user(org=make.org(), role="trainee", email="tara@example.org")


@pytest.mark.options(WTF_CSRF_ENABLED=True)
def test_login_page_has_the_spec_fields(client):
    page = client.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in ('name="email"', 'name="password"', 'name="csrf_token"'):
        assert name in html


def test_correct_password_redirects_to_the_role_home(client, trainee):
    response = client.post("/login", data={"email": "TARA@example.org",
                                           "password": DEFAULT_PASSWORD})
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith("/trainee")
    home = client.get("/trainee")
    assert home.status_code == 200
    assert "Sign out" in home.get_data(as_text=True)


@pytest.mark.parametrize("role, path", [("supervisor", "/supervisor"), ("admin", "/admin")])
def test_each_role_lands_on_its_own_home(client, make, role, path):
    user = make.user(org=make.org(), role=role)
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"].endswith(path)


def test_wrong_password_shows_an_error_next_to_the_field(client, trainee):
    response = client.post("/login", data={"email": trainee.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert "The e-mail or password is not correct." in response.get_data(as_text=True)
    assert client.get("/trainee").status_code == 302


def test_unknown_account_gets_the_same_answer(client, trainee):
    response = client.post("/login", data={"email": "nobody@example.org",
                                           "password": "wrong-password"})
    assert "The e-mail or password is not correct." in response.get_data(as_text=True)


def test_deactivated_user_cannot_sign_in(client, make):
    user = make.user(org=make.org(), active=False)
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200


@pytest.mark.options(WTF_CSRF_ENABLED=True)
def test_login_without_csrf_token_is_400_and_signs_no_one_in(client, trainee):
    response = client.post("/login", data={"email": trainee.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert client.get("/trainee").status_code == 302


def test_sign_out_ends_every_other_session(app, trainee):
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        c.post("/login", data={"email": trainee.email, "password": DEFAULT_PASSWORD})
        assert c.get("/trainee").status_code == 200
    assert first.post("/logout").status_code == 303
    assert first.get("/trainee").status_code == 302
    assert second.get("/trainee").status_code == 302


def test_open_redirect_is_refused(client, trainee):
    response = client.post("/login?next=//evil.example/",
                           data={"email": trainee.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"].endswith("/trainee")


def test_ten_failed_tries_for_one_account_lock_it_for_a_while(client, trainee):
    for _ in range(10):
        assert client.post("/login", data={"email": trainee.email,
                                           "password": "wrong-password"}).status_code == 200
    locked = client.post("/login", data={"email": trainee.email, "password": DEFAULT_PASSWORD})
    assert locked.status_code == 429


def test_successful_sign_ins_do_not_count_toward_the_limit(app, trainee):
    for _ in range(12):
        c = app.test_client()
        response = c.post("/login", data={"email": trainee.email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 303


def test_thirty_failures_from_one_address_are_limited(client, make):
    org = make.org()
    for n in range(30):
        client.post("/login", data={"email": f"x{n}@example.org", "password": "nope-nope-nope"})
    response = client.post("/login", data={"email": "fresh@example.org", "password": "nope"})
    assert response.status_code == 429
    assert org.id


def test_password_change_keeps_this_session_and_ends_the_others(app, client, trainee):
    other = app.test_client()
    for c in (client, other):
        c.post("/login", data={"email": trainee.email, "password": DEFAULT_PASSWORD})
    new = "amber-canyon-whistle-82"
    response = client.post("/account/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 303
    assert client.get("/trainee").status_code == 200
    assert other.get("/trainee").status_code == 302
    assert app.test_client().post("/login", data={"email": trainee.email,
                                                  "password": new}).status_code == 303


@pytest.mark.parametrize("current, new, message", [
    ("not-my-password-x", "amber-canyon-whistle-82", "current password is not correct"),
    (DEFAULT_PASSWORD, "password1234", "too common"),
    (DEFAULT_PASSWORD, "short", "at least 12 characters"),
])
def test_password_change_errors_show_next_to_the_field(client, login_as, trainee, current,
                                                        new, message):
    login_as(trainee)
    page = client.post("/account/password", data={
        "current_password": current, "new_password": new, "confirm": new})
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)
