"""The operations CLI: one clear line and exit 1 on bad input."""

import pytest
from sqlalchemy import select

from trainer.auth.models import User
from trainer.extensions import db
from trainer.orgs.models import Membership, Organisation, SupervisorAssignment

STRONG = "violet-harbour-trumpet-9"


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        result = runner.invoke(args=list(args))
        db.session.expire_all()
        return result

    return invoke


def test_orgs_create_and_duplicate_slug(run):
    assert run("orgs", "create", "--slug", "lake", "--name", "Lake IPT").exit_code == 0
    again = run("orgs", "create", "--slug", "lake", "--name", "Other")
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert len(again.output.strip().splitlines()) == 1
    assert db.session.scalar(select(Organisation.name)) == "Lake IPT"


def test_users_create_with_membership_then_add_a_second_role(run):
    run("orgs", "create", "--slug", "lake", "--name", "Lake IPT")
    created = run("users", "create", "--email", "Ann@Example.org", "--name", "Ann",
                  "--password", STRONG, "--org", "lake", "--role", "trainee")
    assert created.exit_code == 0, created.output
    added = run("users", "create", "--email", "ann@example.org", "--org", "lake",
                "--role", "supervisor")
    assert added.exit_code == 0, added.output
    roles = db.session.scalars(select(Membership.role).order_by(Membership.role)).all()
    assert roles == ["supervisor", "trainee"]
    assert db.session.scalar(select(User.email)) == "ann@example.org"


@pytest.mark.parametrize("args, message", [
    (["--email", "bad-address", "--name", "X", "--password", STRONG], "not a valid e-mail"),
    (["--email", "x@example.org", "--name", "X", "--password", "short-pw"], "at least 12"),
    (["--email", "x@example.org", "--name", "X", "--password", "password1234"], "too common"),
    (["--email", "x@example.org", "--name", "X"], "Missing option --password"),
    (["--name", "X", "--password", STRONG], "Missing option --email"),
    (["--email", "x@example.org", "--name", "X", "--password", STRONG, "--org", "nowhere",
      "--role", "trainee"], "Unknown organisation"),
    (["--email", "x@example.org", "--name", "X", "--password", STRONG, "--org", "lake",
      "--role", "boss"], "Unknown role"),
])
def test_users_create_bad_input_exits_1_with_one_line(run, args, message):
    run("orgs", "create", "--slug", "lake", "--name", "Lake IPT")
    result = run("users", "create", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert db.session.scalar(select(User)) is None


def test_existing_email_without_org_exits_1(run):
    run("users", "create", "--email", "a@example.org", "--name", "A", "--password", STRONG)
    result = run("users", "create", "--email", "a@example.org", "--name", "A",
                 "--password", STRONG)
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_supervisors_assign(run):
    run("orgs", "create", "--slug", "lake", "--name", "Lake IPT")
    run("users", "create", "--email", "s@example.org", "--name", "S", "--password", STRONG,
        "--org", "lake", "--role", "supervisor")
    run("users", "create", "--email", "t@example.org", "--name", "T", "--password", STRONG,
        "--org", "lake", "--role", "trainee")
    ok = run("supervisors", "assign", "--org", "lake", "--supervisor", "s@example.org",
             "--trainee", "t@example.org")
    assert ok.exit_code == 0, ok.output
    assert db.session.scalar(select(SupervisorAssignment)) is not None
    wrong = run("supervisors", "assign", "--org", "lake", "--supervisor", "t@example.org",
                "--trainee", "s@example.org")
    assert wrong.exit_code == 1
    assert "is not a supervisor" in wrong.output
    unknown = run("supervisors", "assign", "--org", "lake", "--supervisor", "x@example.org",
                  "--trainee", "t@example.org")
    assert unknown.exit_code == 1 and "Unknown user" in unknown.output


def test_demo_creates_one_account_per_role_and_can_run_twice(run, client):
    first = run("demo", "--password", STRONG)
    assert first.exit_code == 0, first.output
    for email in ("admin@demo.example", "supervisor@demo.example", "trainee@demo.example"):
        assert email in first.output
    assert run("demo").exit_code == 0
    assert run("demo", "--password", STRONG).exit_code == 0
    response = client.post("/login", data={"email": "supervisor@demo.example",
                                           "password": STRONG})
    assert response.headers["Location"].endswith("/supervisor")
    assert "Tara Trainee" in client.get("/supervisor").get_data(as_text=True)


def test_users_deactivate_ends_sessions_and_tokens_and_activate_lets_them_back(
        app, run, make, login_as, token_for):
    from tests.factories import DEFAULT_PASSWORD
    from trainer.audit.models import AuditEntry

    org = make.org()
    person = make.user(org=org, role="trainee", email="lock.me@example.org")
    header = token_for(person)
    browser = app.test_client()
    browser.post("/login", data={"email": person.email, "password": DEFAULT_PASSWORD})
    assert browser.get("/vignettes/").status_code == 200
    result = run("users", "deactivate", "LOCK.ME@example.org")
    assert result.exit_code == 0 and "sessions and API tokens have ended" in result.output
    assert browser.get("/vignettes/").status_code in (302, 303)  # signed out at once
    assert app.test_client().get("/api/v1/me", headers=header).status_code == 401
    signed = app.test_client().post("/login", data={"email": person.email,
                                                    "password": DEFAULT_PASSWORD})
    assert signed.status_code == 200  # the form again, no session
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.action == "account.deactivated")) == "account.deactivated"
    assert run("users", "activate", person.email).exit_code == 0
    again = app.test_client().post("/login", data={"email": person.email,
                                                   "password": DEFAULT_PASSWORD})
    assert again.status_code in (302, 303)
    unknown = run("users", "deactivate", "nobody@example.org")
    assert unknown.exit_code == 1 and len(unknown.output.strip().splitlines()) == 1
