"""The operations CLI: `flask --app trainer orgs|users|supervisors|demo ...`."""

from flask import Flask

from trainer.cli.accounts import orgs_cli, supervisors_cli, users_cli
from trainer.cli.content import content_cli
from trainer.cli.demo import demo_command
from trainer.cli.recordings import recordings_cli


def register_cli(app: Flask) -> None:
    """Attach every command group to the app (explicit list)."""
    for command in (orgs_cli, users_cli, supervisors_cli, content_cli, recordings_cli,
                    demo_command):
        app.cli.add_command(command)
