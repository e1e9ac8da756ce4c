"""`flask content validate|sync [PATH...]`: check content files, load them."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from trainer.content.services import (
    DEFAULT_PATHS,
    format_summary,
    sync_content,
    validate_paths,
)
from trainer.extensions import db

WARNING = ": warning: "
content_cli = AppGroup("content", help="Curriculum and vignette content files.")


def _paths(given: tuple[str, ...]) -> list[Path]:
    return [Path(p) for p in given] if given else [p for p in DEFAULT_PATHS if p.exists()]


@content_cli.command("validate", with_appcontext=False)
@click.argument("paths", nargs=-1)
def validate_command(paths):
    """Check content files; print FILE: FIELD.PATH: message per problem (no database)."""
    lines = validate_paths(_paths(paths))
    for line in lines:
        click.echo(line)
    if any(WARNING not in line for line in lines):
        sys.exit(1)
    click.echo("All content is valid" + (" (with the warnings above)." if lines else "."))


@content_cli.command("sync")
@click.argument("paths", nargs=-1)
def sync_command(paths):
    """Validate, then load into the database in one transaction."""
    summary, lines = sync_content(_paths(paths))
    if lines:
        db.session.rollback()
        for line in lines:
            click.echo(line)
        click.echo("Nothing was loaded.")
        sys.exit(1)
    db.session.commit()
    click.echo(format_summary(summary))
