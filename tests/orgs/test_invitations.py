"""Organisation admins invite people by single-use, expiring links."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD
from trainer.extensions import db
from trainer.orgs.models import Invitation, Membership
from trainer.timeutil import utcnow


@pytest.fixture
def org(make):
    return make.org(slug="north", name="North IPT Centre")


@pytest.fixture
def admin(make, org, login_as):
    return login_as(make.user(org=org, role="admin"))


def _invite(client, email="new.person@example.org", role="supervisor"):
    page = client.post("/org/people", data={"email": email, "name": "", "role": role})
    assert page.status_code == 200
    match = re.search(r"(http://[^<\s]+/invite/[\w-]+)", page.get_data(as_text=True))
    assert match, "the invitation link is shown to the admin"
    return match.group(1).replace("http://localhost", "")


def test_admin_invites_and_the_person_joins_with_that_role(client, app, admin, org):
    link = _invite(client)
    client.post("/logout")
    page = client.get(link)
    assert page.status_code == 200
    assert "supervisor" in page.get_data(as_text=True)
    response = client.post(link, data={"name": "Nia Newcomer", "password": DEFAULT_PASSWORD,
                                       "confirm": DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/supervisor")
    roles = db.session.scalars(select(Membership.role).join(Membership.user)
                               .where(Membership.organisation_id == org.id)).all()
    assert sorted(roles) == ["admin", "supervisor"]


def test_an_invitation_works_only_once(client, admin):
    link = _invite(client)
    client.post("/logout")
    data = {"name": "Nia Newcomer", "password": DEFAULT_PASSWORD, "confirm": DEFAULT_PASSWORD}
    assert client.post(link, data=data).status_code == 303
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_an_expired_invitation_is_refused(client, admin):
    link = _invite(client)
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_a_weak_password_is_refused_next_to_the_field(client, admin):
    link = _invite(client)
    client.post("/logout")
    page = client.post(link, data={"name": "Nia", "password": "short", "confirm": "short"})
    assert page.status_code == 200
    assert "at least 12 characters" in page.get_data(as_text=True)
    assert db.session.scalar(select(Invitation)).accepted_at is None


def test_an_existing_account_joins_by_confirming_its_password(client, make, admin, org):
    person = make.user(org=make.org(), role="trainee", email="known@example.org")
    link = _invite(client, email="known@example.org", role="trainee")
    client.post("/logout")
    assert "already have an account" in client.get(link).get_data(as_text=True)
    wrong = client.post(link, data={"password": "not-the-password-at-all"})
    assert "not the password" in wrong.get_data(as_text=True)
    assert client.post(link, data={"password": DEFAULT_PASSWORD}).status_code == 303
    db.session.refresh(person)
    assert {(m.organisation_id, m.role) for m in person.memberships} >= {(org.id, "trainee")}


def test_malformed_email_gets_an_error_next_to_the_field(client, admin):
    page = client.post("/org/people", data={"email": "not-an-email", "role": "trainee"})
    assert "is not a valid e-mail address" in page.get_data(as_text=True)
    assert db.session.scalar(select(Invitation)) is None


def test_admin_withdraws_an_invitation(client, admin):
    link = _invite(client)
    invitation = db.session.scalar(select(Invitation))
    assert client.post(f"/org/invitations/{invitation.id}/revoke").status_code == 303
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_admin_of_another_org_cannot_withdraw_it(client, make, admin, login_as):
    _invite(client)
    invitation = db.session.scalar(select(Invitation))
    login_as(make.user(org=make.org(), role="admin"))
    assert client.post(f"/org/invitations/{invitation.id}/revoke").status_code == 404
    db.session.refresh(invitation)
    assert invitation.revoked_at is None
