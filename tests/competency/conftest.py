"""The competency tests' world: the shipped content, an organisation, a trainee with a
supervisor, and an admin."""

import pytest

from trainer.content.services import DEFAULT_PATHS, sync_content
from trainer.extensions import db


@pytest.fixture
def world(make):
    summary, problems = sync_content(list(DEFAULT_PATHS))
    assert not problems
    db.session.commit()
    org = make.org()
    trainee = make.user(org=org, role="trainee", name="Tia Trainee")
    supervisor = make.user(org=org, role="supervisor")
    admin = make.user(org=org, role="admin")
    make.assign(org, supervisor, trainee)
    return {"org": org, "trainee": trainee, "supervisor": supervisor, "admin": admin}
