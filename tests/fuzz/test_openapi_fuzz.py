"""Schemathesis against the app's own OpenAPI document, in-process: every operation, with and
without a bearer token, never answers 5xx and always answers as the document says.

The document is read once at collection from an app of the same code (it needs no database);
every generated request goes to the test's own app, on a fresh database holding the project's
framework, scales and pathways and a small organisation with a rated case (schemathesis 4's
lazy `from_fixture` schema sets `node._nodeid`, which pytest 9.2 no longer has).
"""

from types import SimpleNamespace

import pytest
import schemathesis
from flask import g
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from trainer import create_app
from trainer.content.services import PROJECT_ROOT, sync_content
from trainer.extensions import db

CURRICULUM = PROJECT_ROOT / "curriculum"
# Fixed and small: the whole file stays well under two minutes on SQLite.
BOUNDED = settings(max_examples=15, derandomize=True, database=None, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                          HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])
# What the document promises about answers. Not `negative_data_rejection`: like most HTTP
# APIs this one ignores query parameters it does not know, and the caller's token replaces a
# generated request's missing Authorization header.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance, unsupported_method]

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))


def isolated(app):
    """The app as a WSGI callable whose every request starts as in production: an empty `g`
    and a fresh database session (the test holds one app context for its fixtures). The body
    is read and closed here: schemathesis leaves a streamed file (a recording) open."""

    def wsgi(environ, start_response):
        for name in list(g):
            g.pop(name)
        db.session.remove()
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            body.close()

    return wsgi


@pytest.fixture
def world(app, make):
    """The competency framework, scales and pathways, a module and a vignette, and an
    organisation with one person per role and a rated case with a recording, so that small
    ids in generated paths reach real objects."""
    org = make.org(slug="org-a")
    people = {role: make.user(org=org, role=role) for role in ("trainee", "supervisor", "admin")}
    make.assign(org, people["supervisor"], people["trainee"])
    make.case_with_rating(org, people["trainee"], people["supervisor"])  # loads a scale
    make.module("mod-a")
    make.vignette("vig-a")
    _, problems = sync_content([CURRICULUM / "competencies.yaml", CURRICULUM / "scales",
                                CURRICULUM / "pathways"])
    assert problems == [], problems
    db.session.commit()
    return people


@pytest.fixture(params=["anonymous", "trainee", "supervisor", "admin"])
def caller(request, world, token_for):
    """Headers for one kind of caller (none for anonymous; else a live bearer token), and a
    way to renew the token once a generated call has revoked it."""
    headers: dict[str, str] = {}
    if request.param == "anonymous":
        return headers, lambda: None
    user = SimpleNamespace(email=world[request.param].email)  # outlives the request's session
    headers.update(token_for(user))
    return headers, lambda: headers.update(token_for(user))


@schema.parametrize()
@BOUNDED
def test_api_conforms_to_its_document(case, app, caller):
    headers, renew = caller
    response = case.call_and_validate(app=isolated(app), headers=headers, checks=CHECKS)
    if case.operation.path == "/api/v1/tokens/current" and response.status_code == 204:
        renew()
