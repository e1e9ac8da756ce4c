"""The one transaction boundary: a non-GET request keeps its writes only when its view
succeeds; a refusal, an error and a GET keep nothing; views and API routes never commit."""

import re
import subprocess
from pathlib import Path

import pytest
from flask import redirect
from sqlalchemy import select

from trainer.errors import DomainError
from trainer.extensions import csrf, db
from trainer.orgs.models import Organisation
from trainer.web.forms import show_domain_error
from trainer.web.transaction import keep_on_refusal

ROOT = Path(__file__).resolve().parents[2]


def _add(slug: str) -> None:
    db.session.add(Organisation(slug=slug, name=slug))
    db.session.flush()


def _routes(app) -> None:
    """Views that write one organisation and then answer in each way a real view does."""

    def saved():
        _add("saved")
        return redirect("/", code=303)

    def refused():
        _add("refused")
        show_domain_error(None, DomainError("Not allowed."))
        return redirect("/", code=303)

    def kept():
        _add("kept")
        keep_on_refusal()
        return "refused, but the attempt counts", 422

    def failed():
        _add("failed")
        raise DomainError("Wrong.", field="name")

    def crashed():
        _add("crashed")
        raise RuntimeError("a bug after the write")

    def read():
        _add("read")
        return "a GET"

    for name, view in {"saved": saved, "refused": refused, "kept": kept, "failed": failed,
                       "crashed": crashed}.items():
        app.add_url_rule(f"/_boundary/{name}", name, csrf.exempt(view), methods=["POST"])
    app.add_url_rule("/_boundary/read", "read", read)


@pytest.fixture
def boundary(app):
    _routes(app)
    return app


def _stored(slug: str) -> bool:
    db.session.rollback()  # read what is committed, not what this session still holds
    return db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)) \
        is not None


def test_a_successful_post_is_committed(boundary, client):
    assert client.post("/_boundary/saved").status_code == 303
    assert _stored("saved")


@pytest.mark.parametrize("name,status", [("refused", 303), ("failed", 422)])
def test_a_refused_post_keeps_nothing(boundary, client, name, status):
    assert client.post(f"/_boundary/{name}").status_code == status
    assert not _stored(name)


def test_a_post_that_keeps_its_attempt_commits_despite_the_refusal(boundary, client):
    assert client.post("/_boundary/kept").status_code == 422
    assert _stored("kept")


def test_an_exception_after_a_write_keeps_nothing(boundary, client):
    with pytest.raises(RuntimeError):
        client.post("/_boundary/crashed")
    assert not _stored("crashed")


def test_a_get_keeps_nothing(boundary, client):
    assert client.get("/_boundary/read").status_code == 200
    assert not _stored("read")


def test_no_view_or_api_route_commits_or_rolls_back():
    """The contract: the boundary (trainer/web/transaction.py) is the only place."""
    listed = subprocess.run(["git", "ls-files", "trainer/*/views.py", "trainer/*/*_views.py",
                             "trainer/api/*.py", "trainer/certificates/public.py"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert len(listed) > 15
    found = [f"{path}:{number}" for path in listed
             for number, line in enumerate((ROOT / path).read_text().splitlines(), 1)
             if re.search(r"\.(commit|rollback)\(\)", line)]
    assert found == []
