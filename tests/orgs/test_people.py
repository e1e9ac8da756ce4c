"""Cohorts, supervisor assignments, deactivation and the audit log."""

import pytest
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD
from trainer.audit.models import AuditEntry
from trainer.extensions import db
from trainer.orgs.models import CohortMember, Membership, SupervisorAssignment


@pytest.fixture
def org(make):
    return make.org(slug="south", name="South Institute")


@pytest.fixture
def people(make, org):
    return {
        "admin": make.user(org=org, role="admin", name="Alma Admin"),
        "supervisor": make.user(org=org, role="supervisor", name="Sid Super"),
        "trainee": make.user(org=org, role="trainee", name="Tom Trainee"),
    }


def test_admin_creates_a_cohort_and_adds_a_trainee(client, login_as, people, org):
    login_as(people["admin"])
    response = client.post("/org/cohorts", data={"name": "Spring 2027"})
    assert response.status_code == 303
    cohort_url = response.headers["Location"]
    assert client.post(cohort_url, data={"trainee": people["trainee"].id}).status_code == 303
    page = client.get(cohort_url).get_data(as_text=True)
    assert "Tom Trainee" in page
    assert db.session.scalar(select(CohortMember.user_id)) == people["trainee"].id


def test_a_duplicate_cohort_name_is_refused_next_to_the_field(client, login_as, people, make,
                                                               org):
    make.cohort(org, name="Spring 2027")
    login_as(people["admin"])
    page = client.post("/org/cohorts", data={"name": "Spring 2027"})
    assert page.status_code == 200
    assert "already exists" in page.get_data(as_text=True)


def test_only_trainees_can_join_a_cohort(client, login_as, people, make, org):
    cohort = make.cohort(org)
    login_as(people["admin"])
    page = client.post(f"/org/cohorts/{cohort.id}", data={"trainee": people["supervisor"].id})
    assert page.status_code == 200
    assert db.session.scalar(select(CohortMember)) is None


def test_admin_assigns_a_supervisor_and_the_supervisor_sees_the_trainee(client, login_as,
                                                                         people):
    login_as(people["admin"])
    response = client.post("/org/supervision", data={"supervisor": people["supervisor"].id,
                                                      "trainee": people["trainee"].id})
    assert response.status_code == 303
    login_as(people["supervisor"])
    assert "Tom Trainee" in client.get("/supervisor").get_data(as_text=True)
    login_as(people["trainee"])
    assert "Sid Super" in client.get("/trainee").get_data(as_text=True)


def test_supervisor_home_has_an_empty_state(client, login_as, people):
    login_as(people["supervisor"])
    assert "No trainees assigned to you yet" in client.get("/supervisor").get_data(as_text=True)


def test_deactivating_a_member_ends_their_sessions(app, client, login_as, people):
    trainee_client = app.test_client()
    trainee_client.post("/login", data={"email": people["trainee"].email,
                                        "password": DEFAULT_PASSWORD})
    assert trainee_client.get("/trainee").status_code == 200
    login_as(people["admin"])
    membership = db.session.scalar(select(Membership).where(
        Membership.user_id == people["trainee"].id))
    assert client.post(f"/org/memberships/{membership.id}/deactivate").status_code == 303
    assert trainee_client.get("/trainee").status_code == 302
    again = trainee_client.post("/login", data={"email": people["trainee"].email,
                                                "password": DEFAULT_PASSWORD})
    assert again.headers["Location"].endswith("/welcome")


def test_admin_reads_the_audit_log(client, login_as, people):
    login_as(people["admin"])
    client.post("/org/supervision", data={"supervisor": people["supervisor"].id,
                                          "trainee": people["trainee"].id})
    page = client.get("/org/audit").get_data(as_text=True)
    assert "supervisor.assigned" in page
    assert db.session.scalar(select(AuditEntry.action)) == "supervisor.assigned"


def test_assignment_requires_both_roles_in_the_org(client, login_as, people, make):
    stranger = make.user(org=make.org(), role="trainee")
    login_as(people["admin"])
    page = client.post("/org/supervision", data={"supervisor": people["supervisor"].id,
                                                  "trainee": stranger.id})
    assert page.status_code == 200
    assert db.session.scalar(select(SupervisorAssignment)) is None


def test_a_person_with_two_roles_switches_between_homes(client, login_as, people, make, org):
    other = make.org(name="Second Org")
    membership = make.membership(people["supervisor"], other, "admin")
    login_as(people["supervisor"])
    assert client.get("/").headers["Location"].endswith("/supervisor")
    assert client.post("/switch", data={"membership_id": membership.id}).status_code == 303
    page = client.get("/admin")
    assert page.status_code == 200
    assert "Second Org" in page.get_data(as_text=True)


def test_platform_admin_creates_an_organisation_with_an_admin_invitation(client, login_as,
                                                                         make):
    login_as(make.user(is_platform_admin=True))
    page = client.post("/org/platform", data={"slug": "east", "name": "East IPT",
                                               "admin_email": "lead@east.example"})
    html = page.get_data(as_text=True)
    assert "East IPT" in html and "/invite/" in html
