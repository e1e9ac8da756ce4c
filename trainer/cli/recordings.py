"""`flask recordings purge`: delete recording files whose time has come (safe from cron)."""

import click
from flask.cli import AppGroup

from trainer.cases.recordings import purge
from trainer.extensions import db

recordings_cli = AppGroup("recordings", help="Session recordings.")


@recordings_cli.command("purge")
def purge_command():
    """Delete files withdrawn from consent or past retention; ratings and the log stay."""
    removed = purge()
    db.session.commit()
    for recording in removed:
        case = recording.session.case
        click.echo(f"Deleted the recording of case {case.client_code}, session "
                   f"{recording.session.number} ({recording.bytes} bytes).")
    click.echo(f"{len(removed)} recording(s) deleted.")
