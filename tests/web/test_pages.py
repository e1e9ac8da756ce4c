"""Security headers, error pages and role-aware navigation."""

import re

import pytest
from flask import Blueprint


def test_every_response_carries_the_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src
    assert "'nonce-" in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"]


def test_the_nonce_changes_per_request(client):
    first = client.get("/login").headers["Content-Security-Policy"]
    second = client.get("/login").headers["Content-Security-Policy"]
    assert first != second


def test_pages_have_no_inline_script_or_event_handler(client, make, login_as):
    org = make.org()
    login_as(make.user(org=org, role="admin"))
    for path in ("/admin", "/org/people", "/org/cohorts", "/org/supervision", "/org/audit"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def test_session_cookie_is_httponly_and_samesite(client, make):
    make.user(org=make.org(), role="trainee", email="c@example.org")
    response = client.post("/login", data={"email": "c@example.org",
                                           "password": "quiet-lantern-meadow-47"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_wrong_role_gets_a_friendly_403(client, make, login_as):
    login_as(make.user(org=make.org(), role="trainee"))
    response = client.get("/admin")
    assert response.status_code == 403
    assert "not allowed" in response.get_data(as_text=True)


@pytest.mark.options(RAISE_UNEXPECTED=False)
def test_a_crash_shows_a_500_page_without_traceback(app, client):
    broken = Blueprint("broken", __name__)

    @broken.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.register_blueprint(broken)
    response = client.get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/trainee")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_user_without_a_role_sees_a_clear_empty_state(client, make, login_as):
    login_as(make.user())
    assert client.get("/").headers["Location"].endswith("/welcome")
    assert "do not hold a role" in client.get("/welcome").get_data(as_text=True)


def test_production_config_sends_cookies_only_over_https(monkeypatch, tmp_path):
    from trainer import create_app
    from trainer.config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI",
                        f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_without_secret_key_one_is_generated_and_kept(monkeypatch, tmp_path):
    from trainer import create_app

    instance = tmp_path / "instance"
    monkeypatch.setenv("INSTANCE_PATH", str(instance))
    monkeypatch.setattr("trainer.config.Config.SECRET_KEY", None)
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.db'}"}
    first = create_app(dict(config))
    second = create_app(dict(config))
    assert len(first.config["SECRET_KEY"]) >= 32
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert oct((instance / "secret_key").stat().st_mode)[-3:] == "600"
