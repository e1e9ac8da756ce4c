"""Rendered pages kept per process until the data behind them may have changed.

Every committed write bumps one number, the data version (`data_versions`, scope
`global`): a listener sees each INSERT, UPDATE and DELETE a connection sends and, when that
connection commits, adds one to the version in the same transaction. A page marked
`@cached_page` is stored with the version read at the start of its request (before any of
its data), the person's session identity (user id and session version, active
membership), the host, the full path with its query string and today's date; it is served
again only while all of these are equal and for at most PAGE_CACHE_SECONDS. So a page is
never older than the last commit anywhere, any write, whoever makes it, invalidates every
stored page (deliberately coarse: correct without knowing which tables a page reads), and
pages that depend on the clock alone ("expires in 12 days") are at most a minute old.
A second counter (scope `content`) moves only with writes to the content tables; the
submission API keys its in-memory vignette lookups by it.

Serving a stored page skips the user load and the view, but not what makes it personal:
the key holds the session's own user id and session version (a sign-out everywhere or a
deactivation is a write, so the version moves), its CSRF token and the CSP nonce are
put back fresh on every answer, and only a 200 answer, rendered without flashed messages,
is ever stored. Writes no page shows are not counted: the snapshots (a cache of the
evidence, rewritten while pages render) and updates of API tokens (last-use times, written
at most once a minute, and revocations: no cached page shows tokens; the API never uses
the page cache).
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, g, make_response, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import text

import trainer.dataversion  # noqa: F401  (its listeners move the version read here)
from trainer import timeutil
from trainer.extensions import db

NONCE_MARK = "\x01nonce\x01"  # control characters no rendered page can contain
CSRF_MARK = "\x01csrf\x01"
CACHEABLE: set[str] = set()


class PageStore:
    """A least-recently-used store of page texts, bounded in characters, thread-safe."""

    def __init__(self, budget: int) -> None:
        self.budget, self.size = budget, 0
        self.pages: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> str | None:
        with self.lock:
            entry = self.pages.get(key)
            if entry is None or entry[0] < time.monotonic():
                self.misses += 1
                return None
            self.pages.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key: tuple, page: str, seconds: float) -> None:
        if len(page) > self.budget:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            self.size -= len(old[1]) if old else 0
            self.pages[key] = (time.monotonic() + seconds, page)
            self.size += len(page)
            while self.size > self.budget:
                _, (_, dropped) = self.pages.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.size = 0


def store() -> PageStore:
    return current_app.extensions["pagecache"]


VERSION_QUERY = text("SELECT version FROM data_versions WHERE scope = 'global'")


def current_version() -> int | None:
    """The data version now; None when the table has no row (caching is then off). Read
    outside the request's transaction (no BEGIN and ROLLBACK round trips for a stored
    page); the page's own reads come later, so they are at least as new."""
    with db.engine.connect() as connection:
        return connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            VERSION_QUERY).scalar()


def cached_page(endpoint: str) -> Callable:
    """Store the 200 answers of this view (its endpoint named here: the hook before the
    view looks them up by endpoint); place it under the guards, next to the view."""
    CACHEABLE.add(endpoint)
    return _caching


def _caching(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args, **kwargs):
        key = g.pop("pagecache_key", None)
        flashes = "_flashes" in session
        answer = make_response(view(*args, **kwargs))
        if key is not None and not flashes and answer.status_code == 200 \
                and answer.mimetype == "text/html" and not answer.direct_passthrough:
            page = answer.get_data(as_text=True)
            page = page.replace(g.csp_nonce, NONCE_MARK) if g.get("csp_nonce") else page
            token = g.get(current_app.config["WTF_CSRF_FIELD_NAME"])
            page = page.replace(token, CSRF_MARK) if token else page
            store().put(key, page, current_app.config["PAGE_CACHE_SECONDS"])
        return answer

    return wrapped


def serve_cached() -> object | None:
    """Before the view (and the user load): the stored page for this request, if current."""
    if request.method != "GET" or request.endpoint not in CACHEABLE \
            or not current_app.config["PAGE_CACHE_SECONDS"]:
        return None
    identity = session.get("_user_id")
    if identity is None or "_flashes" in session:
        return None  # signed out (the view's guard answers), or messages to show
    version = current_version()
    if version is None:
        return None
    key = (version, timeutil.utcnow().date(), request.host, request.full_path, identity,
           session.get("membership_id"))
    page = store().get(key)
    if page is None:
        g.pagecache_key = key
        return None
    page = page.replace(NONCE_MARK, g.get("csp_nonce", "")).replace(CSRF_MARK, generate_csrf())
    return current_app.response_class(page, mimetype="text/html")


def init_pagecache(app: Flask) -> None:
    app.config.setdefault("PAGE_CACHE_SECONDS", 60)
    app.config.setdefault("PAGE_CACHE_CHARACTERS", 32 * 1024 * 1024)
    app.extensions["pagecache"] = PageStore(app.config["PAGE_CACHE_CHARACTERS"])
    app.before_request(serve_cached)
