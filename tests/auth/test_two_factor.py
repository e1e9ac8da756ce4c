"""Optional TOTP two-factor sign-in, and the organisation rule for supervisors and admins."""

import re
import time

import pyotp
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD
from trainer.audit.models import AuditEntry
from trainer.auth.models import User
from trainer.extensions import db


def enrol(client, user) -> pyotp.TOTP:
    page = client.get("/account/two-factor")
    assert page.status_code == 200 and b"<svg" in page.data
    secret = re.search(rb"<code>([A-Z2-7]{16,})</code>", page.data).group(1).decode()
    totp = pyotp.TOTP(secret)
    wrong = client.post("/account/two-factor", data={"code": "000000" if totp.now() != "000000"
                                                     else "111111"})
    assert wrong.status_code == 200 and b"does not match" in wrong.data
    done = client.post("/account/two-factor", data={"code": totp.now()})
    assert done.status_code == 303
    stored = db.session.get(User, user.id)
    assert stored.totp_enabled_at is not None and secret not in stored.totp_secret
    return totp


def sign_in(client, user):
    return client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})


def test_a_person_turns_it_on_and_then_needs_a_code(client, make, login_as):
    org = make.org()
    user = make.user(org=org, role="trainee")
    login_as(user)
    totp = enrol(client, user)
    client.post("/logout")
    first = sign_in(client, user)
    assert first.status_code == 303 and first.headers["Location"].endswith("/login/code")
    assert client.get("/trainee").status_code == 302  # not signed in yet
    assert b"not right" in client.post("/login/code", data={"code": "12345"}).data
    code = totp.at(time.time() + 30)  # the next step: the enrolment code is spent
    ok = client.post("/login/code", data={"code": code})
    assert ok.status_code == 303
    assert client.get("/trainee").status_code == 200
    client.post("/logout")
    sign_in(client, user)
    replay = client.post("/login/code", data={"code": code})
    assert replay.status_code == 200 and b"already used" in replay.data
    assert db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "user.two_factor_enabled")) is not None


def test_the_code_step_without_a_password_first_sends_back(client):
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_an_organisation_can_require_it_for_staff(client, make, login_as):
    org = make.org()
    admin = make.user(org=org, role="admin")
    supervisor = make.user(org=org, role="supervisor")
    trainee = make.user(org=org, role="trainee")
    login_as(admin)
    assert client.post("/org/two-factor", data={"required": "1"}).status_code == 303
    assert client.get("/admin").headers["Location"].endswith("/account/two-factor")
    login_as(supervisor)
    blocked = client.get("/supervisor")
    assert blocked.status_code == 302 and blocked.headers["Location"].endswith(
        "/account/two-factor")
    enrol(client, supervisor)
    assert client.get("/supervisor").status_code == 200
    on = client.get("/account/two-factor")
    assert b"cannot be switched off" in on.data
    login_as(trainee)
    assert client.get("/trainee").status_code == 200


def test_switching_it_off_needs_the_password_and_a_code(client, make, login_as):
    user = make.user(org=make.org(), role="trainee")
    login_as(user)
    totp = enrol(client, user)
    code = totp.at(time.time() + 30)
    bad = client.post("/account/two-factor", data={"password": "wrong password!", "code": code})
    assert b"password is not correct" in bad.data
    off = client.post("/account/two-factor", data={"password": DEFAULT_PASSWORD, "code": code})
    assert off.status_code == 303
    assert db.session.get(User, user.id).totp_secret is None


def test_api_tokens_need_the_code_too(client, make, login_as):
    user = make.user(org=make.org(), role="trainee")
    login_as(user)
    totp = enrol(client, user)
    body = {"email": user.email, "password": DEFAULT_PASSWORD}
    missing = client.post("/api/v1/tokens", json=body)
    assert missing.status_code == 401 and missing.get_json()["error"]["code"] == "otp_required"
    ok = client.post("/api/v1/tokens", json={**body, "otp": totp.at(time.time() + 30)})
    assert ok.status_code == 201 and ok.get_json()["token"]


def test_staff_who_must_enrol_get_no_api_token_until_they_do(client, make, login_as):
    """Security finding 3: staff who never enrolled got tokens on the password alone and
    read the members list and the xAPI export."""
    org = make.org()
    admin = make.user(org=org, role="admin")
    trainee = make.user(org=org, role="trainee")
    earlier = client.post("/api/v1/tokens", json={"email": admin.email,
                                                  "password": DEFAULT_PASSWORD})
    assert earlier.status_code == 201
    earlier_header = {"Authorization": f"Bearer {earlier.get_json()['token']}"}
    login_as(admin)
    assert client.post("/org/two-factor", data={"required": "1"}).status_code == 303
    body = {"email": admin.email, "password": DEFAULT_PASSWORD}
    refused = client.post("/api/v1/tokens", json=body)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "two_factor_enrolment_required"
    members = f"/api/v1/organisations/{org.slug}/members"
    assert client.get(members, headers=earlier_header).status_code == 401
    assert client.post("/api/v1/tokens", json={"email": trainee.email,
                                               "password": DEFAULT_PASSWORD}).status_code == 201
    totp = enrol(client, admin)
    ok = client.post("/api/v1/tokens", json={**body, "otp": totp.at(time.time() + 30)})
    assert ok.status_code == 201
    header = {"Authorization": f"Bearer {ok.get_json()['token']}"}
    assert client.get(members, headers=header).status_code == 200
