"""The request's one transaction boundary (Indico's RH.process): a request that is not a GET
commits once after its view succeeds and rolls back when it fails or refuses; a GET keeps
nothing. Views and API routes never commit or roll back themselves."""

from flask import Flask, g, request

from trainer.extensions import db

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def discard() -> None:
    """Nothing the request wrote is kept, whatever the status code: the answer is a refusal
    shown on the page (a form error, a flashed rule), or only a step on the way (a right
    password before the sign-in code)."""
    g.transaction_refused = True


def keep_on_refusal() -> None:
    """What the request wrote so far stays even though the answer refuses (a one-time code
    that was tried stays used). Only for writes that make a retry harder, never easier."""
    g.transaction_kept = True


def keep_access_record() -> None:
    """A GET whose reading is itself the record keeps it: a recording played (its audit
    entry), a curriculum section read (the trainee's progress)."""
    g.transaction_kept = True


def keep_backfill() -> None:
    """A GET that had to make a record every later request relies on (an organisation's
    first signing key, for organisations made before keys existed) keeps it."""
    g.transaction_kept = True


def keep_derived_data() -> None:
    """A GET that refreshed derived data (competency snapshots, recomputed from evidence
    that is already saved) keeps it. Nothing a person entered is ever written by a GET."""
    g.transaction_kept = True


def _finish(response):
    kept = g.pop("transaction_kept", False)
    refused = g.pop("transaction_refused", False)
    succeeded = response.status_code < 400 and not refused
    if kept or (succeeded and request.method not in READ_METHODS):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def _after_exception(exc: BaseException | None) -> None:
    if exc is not None:
        db.session.rollback()


def init_transaction(app: Flask) -> None:
    """Install the boundary. It runs after every other after-request function has seen
    the response (those run last-registered first), so a failed commit is the last word."""
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
    app.teardown_request(_after_exception)
