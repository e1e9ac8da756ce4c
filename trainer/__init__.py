"""IPT trainer: the Flask application factory."""

import os
import secrets
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool

from trainer.config import CONFIGS, Config
from trainer.extensions import csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# Under the write-ahead log, NORMAL syncs at checkpoints instead of at every commit: a
# commit survives the process crashing, and only a power cut can lose the last ones.
# FULL (SQLITE_SYNCHRONOUS=FULL) syncs every commit.
SQLITE_SYNCHRONOUS = os.environ.get("SQLITE_SYNCHRONOUS", "NORMAL").upper()
if SQLITE_SYNCHRONOUS not in ("NORMAL", "FULL", "EXTRA"):
    raise RuntimeError(f"SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA, not "
                       f"{SQLITE_SYNCHRONOUS!r}")


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the app: config -> extensions -> blueprints -> CLI."""
    # Static files are served by the web blueprint (one place for every asset).
    app = Flask(__name__, instance_relative_config=True, static_folder=None,
                instance_path=os.environ.get("INSTANCE_PATH") or None)
    _load_config(app, config)
    _init_extensions(app)
    _register_blueprints(app)
    _connect_signals()
    _register_cli(app)
    return app


def _load_config(app: Flask, config: type[Config] | dict | None) -> None:
    if isinstance(config, dict):
        app.config.from_object(CONFIGS["test"] if config.get("TESTING") else Config)
        app.config.update(config)
    else:
        env_name = os.environ.get("TRAINER_ENV", "development")
        app.config.from_object(config or CONFIGS.get(env_name, Config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'trainer.db'}"
        )
    if not app.config.get("RECORDINGS_PATH"):
        app.config["RECORDINGS_PATH"] = str(Path(app.instance_path) / "recordings")


def _instance_secret(app: Flask) -> str:
    """A development key kept in the instance folder (never committed)."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: write-ahead log, enforced foreign keys, wait instead of failing on a lock,
    sync at checkpoints (see SQLITE_SYNCHRONOUS)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
        cursor.close()


POOL_PING_IDLE_SECONDS = 10


@event.listens_for(Pool, "checkin")
def _note_checkin(_dbapi_connection, record) -> None:
    record.info["checked_in"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_when_idle(dbapi_connection, record, _proxy) -> None:
    """A pooled connection idle for a while is tried before use; a dead one (the server
    restarted) is replaced, so no request fails on it. Busy connections are not pinged:
    a ping on every checkout would add a round trip to every request."""
    if time.monotonic() - record.info.get("checked_in", 0) < POOL_PING_IDLE_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as exc:  # any failure here means the connection is unusable
        raise DisconnectionError("the pooled connection is gone") from exc


def _decorated_limits_only(app: Flask) -> None:
    """Every rate limit here decorates its route, and the decorator checks it. Flask-Limiter
    also checks each request before the view, for default, application and blueprint
    limits, which this app does not set: that check is taken off the request path (about
    a tenth of a millisecond on every request). Setting such limits keeps it."""
    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        return
    checks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in checks:  # (absent when RATELIMIT_ENABLED is off)
        checks.remove(limiter._check_request_limit)


def _init_extensions(app: Flask) -> None:
    import trainer.models  # noqa: F401  (every mapper, before the first query)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    _decorated_limits_only(app)

    from trainer.auth.sessions import configure_login

    configure_login(login_manager)


def _register_blueprints(app: Flask) -> None:
    from trainer.api import bp as api_bp
    from trainer.auth.views import bp as auth_bp
    from trainer.calibration.views import bp as calibration_bp
    from trainer.cases.views import bp as cases_bp
    from trainer.certificates.public import bp as public_bp
    from trainer.certificates.views import bp as certificates_bp
    from trainer.competency.views import bp as competency_bp
    from trainer.curriculum.views import bp as curriculum_bp
    from trainer.home.views import bp as home_bp
    from trainer.itemanalysis.views import bp as itemanalysis_bp
    from trainer.orgs.views import bp as orgs_bp
    from trainer.supervision.views import bp as supervision_bp
    from trainer.vignettes.views import bp as vignettes_bp
    from trainer.web import init_web

    init_web(app)
    for blueprint in (auth_bp, home_bp, orgs_bp, curriculum_bp, vignettes_bp, cases_bp,
                      supervision_bp, competency_bp, calibration_bp, certificates_bp, public_bp,
                      itemanalysis_bp, api_bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # the API authenticates by bearer token, never by cookie


def _connect_signals() -> None:
    # Subscribers connect on import; imported here, once every blueprint is loaded.
    import trainer.calibration.subscriptions  # noqa: F401


def _register_cli(app: Flask) -> None:
    from trainer.cli import register_cli

    register_cli(app)
