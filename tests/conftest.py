"""Test fixtures: an app on a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

import os
from pathlib import Path

import pytest
from flask import g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from tests.factories import Factory
from trainer import create_app
from trainer.extensions import db, limiter


def _test_database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A database brought to the newest schema by the Alembic migrations, once per run."""
    url = _test_database_url(tmp_path_factory)
    if url.startswith("postgresql"):
        _reset_postgres(url)
    app = create_app(_test_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        db.engine.dispose()
    return url


def _test_config(url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RAISE_UNEXPECTED": True,
        "RECORDINGS_PATH": str(instance / "recordings"),
        "SERVER_NAME": None,
    }


class IsolatedClient(FlaskClient):
    """Each request starts with an empty `g` (as in production), although the test holds
    one app context for its factories and every request runs inside it."""

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path):
    """A fresh app per test; every table is emptied afterwards."""
    app = create_app(_test_config(database_url, tmp_path))
    app.test_client_class = IsolatedClient
    limiter.reset()
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    # data_versions keeps its counters: they only grow, so a per-process cache keyed by
    # them (the API's vignette lookups) never takes one test's content for another's.
    tables = [t for t in db.metadata.sorted_tables if t.name != "data_versions"]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


@pytest.fixture
def make(app) -> Factory:
    """Factories for saved objects with sensible defaults."""
    return Factory()


@pytest.fixture
def login_as(client):
    """Sign a user in on the test client (without going through the form)."""

    def login(user, membership=None):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            if membership is not None:
                session["membership_id"] = membership.id
        return user

    return login


@pytest.fixture
def token_for(client):
    """A bearer-token header for a user, through the real token route."""

    def make_header(user, password=None):
        from tests.factories import DEFAULT_PASSWORD

        response = client.post("/api/v1/tokens",
                               json={"email": user.email, "password": password or DEFAULT_PASSWORD})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return make_header
