"""CLI helpers: one clear line and exit 1 on bad input, one commit on success."""

from collections.abc import Callable
from functools import wraps

import click

from trainer.errors import DomainError
from trainer.extensions import db


def require(**options) -> None:
    """Fail with one line when a required option is missing (click would exit 2)."""
    for name, value in options.items():
        if value in (None, ""):
            raise click.ClickException(f"Missing option --{name.replace('_', '-')}.")


def transactional(command: Callable) -> Callable:
    """Run the command in one transaction; a DomainError rolls back and exits 1."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
            db.session.commit()
            return result
        except DomainError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from None
        except click.ClickException:
            db.session.rollback()
            raise

    return wrapped
