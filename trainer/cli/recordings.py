"""`flask recordings purge`: delete recording files whose time has come (safe from cron)."""

import click
from flask.cli import AppGroup

from trainer.cases.recordings import purge, purge_orphans
from trainer.extensions import db

recordings_cli = AppGroup("recordings", help="Session recordings.")


@recordings_cli.command("purge")
def purge_command():
    """Delete files withdrawn from consent or past retention, and files no recording names
    (older than an hour: an upload being written has no row yet); ratings and the log stay."""
    removed = purge()
    orphans = purge_orphans()
    db.session.commit()
    for recording in removed:
        case = recording.session.case
        click.echo(f"Deleted the recording of case {case.client_code}, session "
                   f"{recording.session.number} ({recording.bytes} bytes).")
    click.echo(f"{len(removed)} recording(s) deleted.")
    if orphans:
        click.echo(f"{len(orphans)} file(s) that no recording names deleted.")
