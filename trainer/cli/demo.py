"""`flask demo`: a demo organisation with one account per role, printed on the console."""

import secrets

import click
from flask.cli import with_appcontext

from trainer.auth.passwords import password_problem
from trainer.auth.services import create_user, find_user_by_email, set_password
from trainer.cli.common import transactional
from trainer.content.services import DEFAULT_PATHS, format_summary, sync_content
from trainer.extensions import db
from trainer.orgs.models import Cohort
from trainer.orgs.services import (
    add_membership,
    add_to_cohort,
    assign_supervisor,
    create_cohort,
    create_organisation,
    find_organisation,
)

DEMO_SLUG = "demo"
DEMO_PEOPLE = [
    # email, name, role (None: platform admin only)
    ("admin@demo.example", "Ada Admin", "admin"),
    ("supervisor@demo.example", "Sam Supervisor", "supervisor"),
    ("trainee@demo.example", "Tara Trainee", "trainee"),
    ("trainee2@demo.example", "Theo Trainee", "trainee"),
    ("platform@demo.example", "Pat Platform", None),
]


def _person(email: str, name: str, password: str):
    user = find_user_by_email(email)
    if user is None:
        return create_user(email, name, password)
    set_password(user, password)
    user.active = True
    return user


@click.command("demo")
@with_appcontext
@click.option("--password", help="One password for every demo account (default: random ones).")
@transactional
def demo_command(password):
    """Create (or refresh) the demo organisation and its accounts; print how to sign in."""
    if password and (problem := password_problem(password)):
        raise click.ClickException(f"--password: {problem}")
    summary, problems = sync_content([p for p in DEFAULT_PATHS if p.exists()])
    if problems:
        raise click.ClickException("the content does not validate: " + problems[0])
    click.echo(format_summary(summary))
    organisation = find_organisation(DEMO_SLUG) or create_organisation(
        None, DEMO_SLUG, "Demo IPT Training Institute")
    accounts = []
    for email, name, role in DEMO_PEOPLE:
        secret = password or secrets.token_urlsafe(12)
        user = _person(email, name, secret)
        if role:
            add_membership(None, user, organisation, role)
        else:
            user.is_platform_admin = True
        accounts.append((role or "platform admin", email, secret))
    _demo_activity(organisation)
    click.echo(f"Demo organisation: {organisation.name} ({organisation.slug})")
    click.echo("Sign in at http://127.0.0.1:5000/login with:")
    for role, email, secret in accounts:
        click.echo(f"  {role:<15} {email:<26} password: {secret}")


def _demo_activity(organisation) -> None:
    supervisor = find_user_by_email("supervisor@demo.example")
    cohort = db.session.scalar(
        db.select(Cohort).where(Cohort.organisation_id == organisation.id,
                                Cohort.name == "Autumn 2026 intake")
    ) or create_cohort(None, organisation, "Autumn 2026 intake")
    for email in ("trainee@demo.example", "trainee2@demo.example"):
        trainee = find_user_by_email(email)
        assign_supervisor(None, organisation, supervisor, trainee)
        add_to_cohort(None, cohort, trainee)
