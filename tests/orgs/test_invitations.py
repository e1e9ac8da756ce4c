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


def _page_without_secrets(html: str, link: str) -> str:
    html = re.sub(r'(name="csrf_token"|nonce=)[^>]*>', "", html)
    return html.replace(link, "LINK")


def test_the_invitation_page_is_the_same_with_or_without_an_account(client, make, admin):
    """Security finding 1: the page told another organisation's admin which addresses exist."""
    make.user(org=make.org(), role="trainee", email="known@example.org")
    known = _invite(client, email="known@example.org", role="trainee")
    unknown = _invite(client, email="nobody@example.org", role="trainee")
    client.post("/logout")
    client.get("/login")  # shows the sign-out message
    pages = [_page_without_secrets(client.get(link).get_data(as_text=True), link)
             .replace("known@example.org", "ADDRESS").replace("nobody@example.org", "ADDRESS")
             for link in (known, unknown)]
    assert pages[0] == pages[1]
    assert "Sign in with" in pages[0]


def test_an_invitation_never_checks_an_existing_accounts_password(client, make, admin, org):
    """Security finding 1: POST /invite/<token> checked the password of an existing account
    and signed it in, with no code step and no sign-in limit."""
    person = make.user(org=make.org(), role="trainee", email="known@example.org")
    link = _invite(client, email="known@example.org", role="trainee")
    client.post("/logout")
    for guess in [f"wrong-password-{n}" for n in range(12)] + [DEFAULT_PASSWORD]:
        page = client.post(link, data={"name": "X", "password": guess, "confirm": guess})
        assert page.status_code == 200
    assert "sign in first" in page.get_data(as_text=True)
    assert client.get("/trainee").status_code == 302  # nobody is signed in
    db.session.refresh(person)
    assert org.id not in {m.organisation_id for m in person.memberships}
    assert db.session.scalar(select(Invitation)).accepted_at is None


def test_an_existing_account_joins_after_a_normal_sign_in(client, make, admin, org):
    person = make.user(org=make.org(), role="trainee", email="known@example.org")
    link = _invite(client, email="known@example.org", role="trainee")
    client.post("/logout")
    sign_in = client.post(f"/login?next={link}",
                          data={"email": "known@example.org", "password": DEFAULT_PASSWORD})
    assert sign_in.status_code == 303 and sign_in.headers["Location"] == link
    page = client.get(link)
    assert "Join as trainee" in page.get_data(as_text=True)
    joined = client.post(link)
    assert joined.status_code == 303
    db.session.refresh(person)
    assert {(m.organisation_id, m.role) for m in person.memberships} >= {(org.id, "trainee")}
    assert client.get(link).status_code == 404  # used


def test_an_account_with_two_factor_joins_only_after_its_code(client, make, admin, org):
    import time

    import pyotp

    from tests.auth.test_two_factor import enrol
    person = make.user(org=make.org(), role="trainee", email="known@example.org")
    link = _invite(client, email="known@example.org", role="trainee")
    client.post("/logout")
    client.post("/login", data={"email": "known@example.org", "password": DEFAULT_PASSWORD})
    totp: pyotp.TOTP = enrol(client, person)
    client.post("/logout")
    first = client.post(f"/login?next={link}",
                        data={"email": "known@example.org", "password": DEFAULT_PASSWORD})
    assert first.headers["Location"].endswith("/login/code")
    assert "Join as" not in client.get(link).get_data(as_text=True)  # not signed in yet
    assert client.post(link, data={"name": "X", "password": DEFAULT_PASSWORD,
                                   "confirm": DEFAULT_PASSWORD}).status_code == 200
    assert db.session.scalar(select(Invitation)).accepted_at is None
    client.post(f"/login?next={link}",
                data={"email": "known@example.org", "password": DEFAULT_PASSWORD})
    done = client.post("/login/code", data={"code": totp.at(time.time() + 30)})
    assert done.headers["Location"] == link
    assert client.post(link).status_code == 303
    db.session.refresh(person)
    assert org.id in {m.organisation_id for m in person.memberships}


def test_someone_signed_in_as_another_address_cannot_accept(client, make, admin, org, login_as):
    link = _invite(client, email="invited@example.org", role="trainee")
    other = login_as(make.user(org=make.org(), role="trainee", email="other@example.org"))
    page = client.get(link).get_data(as_text=True)
    assert "This invitation is for another address" in page and "Join as" not in page
    assert client.post(link).status_code == 200
    assert db.session.scalar(select(Invitation)).accepted_at is None
    db.session.refresh(other)
    assert org.id not in {m.organisation_id for m in other.memberships}


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
