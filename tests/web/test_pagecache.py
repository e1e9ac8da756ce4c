"""The page cache: a stored page is served again only to the same session identity, only
until any write commits, with a fresh CSP nonce and CSRF token, never with old messages."""

import re

import pytest
from sqlalchemy import select, text

from tests.factories import DEFAULT_PASSWORD
from trainer.extensions import db
from trainer.vignettes.models import VignetteDraft
from trainer.web.pagecache import current_version, store

NONCE = re.compile(r"'nonce-([^']+)'")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def org(make):
    return make.org()


@pytest.fixture
def trainee(make, org, login_as):
    return login_as(make.user(org=org, role="trainee", name="Tamsin Trainee"))


@pytest.fixture
def vignette(make):
    return make.vignette("vig-a")


def hits() -> int:
    return store().hits


def test_a_second_visit_is_served_from_the_store_with_a_fresh_nonce(client, trainee,
                                                                     vignette):
    first = client.get("/vignettes/")
    before = hits()
    second = client.get("/vignettes/")
    assert second.status_code == 200 and hits() == before + 1
    page = second.get_data(as_text=True)
    assert "Tamsin Trainee" in page and vignette.title in page
    nonce = NONCE.search(second.headers["Content-Security-Policy"]).group(1)
    assert nonce != NONCE.search(first.headers["Content-Security-Policy"]).group(1)
    assert "\x01" not in page  # no placeholder left behind


def test_a_stored_page_carries_a_working_csrf_token(app, client, trainee, vignette):
    app.config["WTF_CSRF_ENABLED"] = True
    client.get("/trainee")
    page = client.get("/trainee").get_data(as_text=True)  # from the store
    token = TOKEN.search(page).group(1)
    signed_out = client.post("/logout", data={"csrf_token": token})
    assert signed_out.status_code in (302, 303)
    assert client.get("/trainee").status_code == 302  # signed out: the stored page is not shown


def test_any_committed_write_shows_on_the_next_visit(client, trainee, vignette):
    client.get("/vignettes/")
    assert "Problem areas:" not in client.get("/vignettes/").get_data(as_text=True)
    version = current_version()
    answer = client.post("/vignettes/vig-a/start")
    assert answer.status_code == 303 and current_version() > version
    for number, data in {"1": {"answer": "grief"}, "2": {"answer": ["ask", "plan"]},
                         "3": {"answer": "Her mood fell after the death."}}.items():
        client.post(f"/vignettes/vig-a/stages/{number}", data=data)
    token = db.session.scalar(select(VignetteDraft.token))
    assert client.post("/vignettes/vig-a/submit", data={"token": token}).status_code == 303
    before = hits()
    page = client.get("/vignettes/").get_data(as_text=True)
    assert hits() == before  # recomputed, not served
    assert "Problem areas:" in page  # the submitted case is listed


def test_another_person_never_gets_someone_elses_page(app, make, org, trainee, vignette):
    client = app.test_client()
    other = make.user(org=org, role="trainee", name="Oskar Other")
    client.post("/login", data={"email": trainee.email, "password": DEFAULT_PASSWORD})
    assert "Tamsin Trainee" in client.get("/trainee").get_data(as_text=True)
    second = app.test_client()
    second.post("/login", data={"email": other.email, "password": DEFAULT_PASSWORD})
    page = second.get("/trainee").get_data(as_text=True)
    assert "Oskar Other" in page and "Tamsin Trainee" not in page


def test_a_session_ended_elsewhere_gets_no_stored_page(client, trainee, vignette):
    client.get("/trainee")
    trainee.session_version += 1  # "sign out everywhere"
    db.session.commit()
    assert client.get("/trainee").status_code == 302


def test_a_removed_role_gets_no_stored_page(client, make, org, trainee, vignette):
    client.get("/vignettes/")
    trainee.memberships[0].active = False
    db.session.commit()
    assert client.get("/vignettes/").status_code in (302, 403)


def test_messages_are_shown_once_and_never_stored(client, trainee, vignette):
    client.get("/vignettes/")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "A message to show once.")]
    assert "A message to show once." in client.get("/vignettes/").get_data(as_text=True)
    assert "A message to show once." not in client.get("/vignettes/").get_data(as_text=True)


def test_the_next_day_is_a_new_page(client, trainee, vignette, monkeypatch):
    from datetime import timedelta

    from trainer import timeutil

    client.get("/vignettes/")
    tomorrow = timeutil.utcnow() + timedelta(days=1)
    monkeypatch.setattr(timeutil, "utcnow", lambda: tomorrow)
    before = hits()
    client.get("/vignettes/")
    assert hits() == before


def test_cache_only_writes_leave_the_version_alone(trainee):
    version = current_version()
    db.session.execute(text("UPDATE competency_snapshots SET marker = marker"))
    db.session.commit()
    assert current_version() == version
    db.session.execute(text("UPDATE users SET name = name"))
    db.session.rollback()
    assert current_version() == version
    db.session.execute(text("UPDATE users SET name = name"))
    db.session.commit()
    assert current_version() == version + 1


def test_pages_can_be_kept_out_of_the_store(app, client, trainee, vignette):
    app.config["PAGE_CACHE_SECONDS"] = 0
    client.get("/vignettes/")
    before = hits()
    assert client.get("/vignettes/").status_code == 200 and hits() == before

