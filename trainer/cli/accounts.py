"""CLI commands for organisations, users and supervisor assignments."""

import click
from flask.cli import AppGroup

from trainer.auth.services import (
    create_user,
    find_user_by_email,
    normalise_email,
    set_account_active,
)
from trainer.certificates.keys import rotate_key
from trainer.cli.common import require, transactional
from trainer.orgs.services import (
    add_membership,
    assign_supervisor,
    check_role,
    create_organisation,
    find_organisation,
)

orgs_cli = AppGroup("orgs", help="Training organisations.")
users_cli = AppGroup("users", help="User accounts.")
supervisors_cli = AppGroup("supervisors", help="Supervisor assignments.")


def organisation_or_fail(slug: str):
    organisation = find_organisation(slug)
    if organisation is None:
        raise click.ClickException(f"Unknown organisation '{slug}'.")
    return organisation


def user_or_fail(email: str):
    user = find_user_by_email(normalise_email(email))
    if user is None:
        raise click.ClickException(f"Unknown user '{email}'.")
    return user


@orgs_cli.command("create")
@click.option("--slug")
@click.option("--name")
@transactional
def orgs_create(slug, name):
    """Create a training organisation."""
    require(slug=slug, name=name)
    organisation = create_organisation(None, slug, name)
    click.echo(f"Created organisation {organisation.slug} ({organisation.name}).")


@orgs_cli.command("rotate-key")
@click.option("--slug")
@transactional
def orgs_rotate_key(slug):
    """Retire the organisation's signing key and make a new one (old credentials keep
    verifying: retired keys stay published)."""
    require(slug=slug)
    organisation = organisation_or_fail(slug)
    key = rotate_key(None, organisation.id)
    click.echo(f"New signing key for {organisation.slug}: {key.public_key_multibase}.")


@users_cli.command("create")
@click.option("--email")
@click.option("--name")
@click.option("--password")
@click.option("--org", "org_slug")
@click.option("--role")
@click.option("--platform-admin", is_flag=True, help="Let the user create organisations.")
@transactional
def users_create(email, name, password, org_slug, role, platform_admin):
    """Create a user, with a membership when --org and --role are given."""
    require(email=email)
    if bool(org_slug) != bool(role):
        raise click.ClickException("Give --org and --role together.")
    organisation = organisation_or_fail(org_slug) if org_slug else None
    if role:
        check_role(role)
    existing = find_user_by_email(normalise_email(email))
    if existing is not None:
        if organisation is None:
            raise click.ClickException(f"A user with the e-mail {existing.email} already exists.")
        add_membership(None, existing, organisation, role)
        click.echo(f"Added {existing.email} to {organisation.slug} as {role}.")
        return
    require(name=name, password=password)
    user = create_user(email, name, password)
    user.is_platform_admin = platform_admin
    if organisation is not None:
        add_membership(None, user, organisation, role)
    where = f" in {organisation.slug} as {role}" if organisation else ""
    click.echo(f"Created user {user.email}{where}.")


@supervisors_cli.command("assign")
@click.option("--org", "org_slug")
@click.option("--supervisor")
@click.option("--trainee")
@transactional
def supervisors_assign(org_slug, supervisor, trainee):
    """Assign a supervisor to a trainee (both members of the organisation)."""
    require(org=org_slug, supervisor=supervisor, trainee=trainee)
    organisation = organisation_or_fail(org_slug)
    sup, trn = user_or_fail(supervisor), user_or_fail(trainee)
    assign_supervisor(None, organisation, sup, trn)
    click.echo(f"{sup.email} supervises {trn.email} in {organisation.slug}.")


@users_cli.command("deactivate")
@click.argument("email")
@transactional
def users_deactivate(email):
    """Lock an account: it can no longer sign in, its sessions and API tokens end now."""
    user = user_or_fail(email)
    if set_account_active(None, user, False):
        click.echo(f"Deactivated {user.email}: its sessions and API tokens have ended.")
    else:
        click.echo(f"{user.email} was already deactivated.")


@users_cli.command("activate")
@click.argument("email")
@transactional
def users_activate(email):
    """Unlock an account (it signs in again with its password; old tokens stay revoked)."""
    user = user_or_fail(email)
    if set_account_active(None, user, True):
        click.echo(f"Activated {user.email}.")
    else:
        click.echo(f"{user.email} was already active.")
