"""`content sync`: one transaction, idempotent, versioned."""

import pytest
from sqlalchemy import func, select

from tests.content.test_validate import FRAMEWORK, MODULE, write
from trainer.content.models import Module, Vignette
from trainer.content.services import DEFAULT_PATHS, sync_content
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db


@pytest.fixture
def tree(tmp_path):
    write(tmp_path, "competencies.yaml", FRAMEWORK)
    write(tmp_path, "m1/module.yaml", MODULE.format(id="m1", prerequisites="[]"))
    write(tmp_path, "m1/one.md", "# Text")
    return tmp_path


def sync(paths):
    summary, problems = sync_content(paths)
    if problems:
        db.session.rollback()
    else:
        db.session.commit()
    return summary, problems


def test_sync_twice_is_idempotent(app, tree):
    first, _ = sync([tree])
    second, _ = sync([tree])
    assert first["module"]["added"] == 1 and first["framework"]["added"] == 1
    assert second["module"]["unchanged"] == 1 and second["framework"]["unchanged"] == 1
    assert db.session.scalar(select(func.count()).select_from(Module)) == 1


def test_a_change_without_new_version_updates_in_place_when_unused(app, tree):
    sync([tree])
    (tree / "m1/one.md").write_text("# New text")
    summary, problems = sync([tree])
    assert problems == [] and summary["module"]["updated"] == 1
    module = db.session.scalar(select(Module))
    assert module.data["sections"][0]["body"] == "# New text"
    assert db.session.scalar(select(func.count()).select_from(Module)) == 1


def test_a_raised_version_adds_a_row_and_old_attempts_keep_theirs(app, tree, make):
    sync([tree])
    old = db.session.scalar(select(Module))
    user, org = make.user(), make.org()
    db.session.add(ModuleAttempt(user_id=user.id, organisation_id=org.id, module_id=old.id,
                                 module_key="m1", module_version=1, answers={}, results={},
                                 score=1.0, passed=True, submission_key="k"))
    db.session.commit()
    path = tree / "m1/module.yaml"
    path.write_text(path.read_text().replace("version: 1", "version: 2").replace(
        "title: A module", "title: A better module"))
    summary, problems = sync([tree])
    assert problems == [] and summary["module"]["updated"] == 1
    rows = db.session.scalars(select(Module).order_by(Module.version)).all()
    assert [(r.version, r.latest) for r in rows] == [(1, False), (2, True)]
    attempt = db.session.scalar(select(ModuleAttempt))
    assert attempt.module.version == 1 and attempt.module.title == "A module"


def test_a_changed_version_with_attempts_is_refused_and_nothing_loads(app, tree, make):
    sync([tree])
    module = db.session.scalar(select(Module))
    user, org = make.user(), make.org()
    db.session.add(ModuleAttempt(user_id=user.id, organisation_id=org.id, module_id=module.id,
                                 module_key="m1", module_version=1, answers={}, results={},
                                 score=1.0, passed=True, submission_key="k"))
    db.session.commit()
    path = tree / "m1/module.yaml"
    path.write_text(path.read_text().replace("title: A module", "title: Changed"))
    _, problems = sync([tree])
    assert any("module 'm1' version 1 has attempts" in line for line in problems)
    assert db.session.scalar(select(Module.title)) == "A module"


def test_an_invalid_file_loads_nothing(app, tree):
    write(tree, "m2/module.yaml", MODULE.format(id="m2", prerequisites="[missing]"))
    write(tree, "m2/one.md", "x")
    _, problems = sync([tree])
    assert problems
    assert db.session.scalar(select(func.count()).select_from(Module)) == 0


def test_the_projects_content_loads(app):
    summary, problems = sync(list(DEFAULT_PATHS))
    assert problems == []
    assert summary["module"]["added"] >= 10
    assert db.session.scalar(select(func.count()).select_from(Vignette)) >= 16


def test_cli_sync_prints_a_summary(app, tree):
    result = app.test_cli_runner().invoke(args=["content", "sync", str(tree)])
    assert result.exit_code == 0, result.output
    assert "module 1 added" in result.output
