"""View models kept until what they read changes: the costly part of a page (a trainee's
profile, history and checklists; a cohort's heatmap and eligibility), not its HTML.

Each view model has a scope (whose it is) and a stamp (what it was built from): the
counters its data depends on (trainer/dataversion.py, moved by the services that change
that data, by name) and the last id of the attempts it reads (attempts move no
counter, so a submission writes nothing shared; a text rating moves the trainee's). The
stamp is read in one query; a view model whose stamp is unchanged is reused, from this
process's memory or else from the `view_models` table (so a worker that never built it does
not build it again), otherwise built, stored and kept. A stamp also holds the date (pages
say "expires in 12 days") and the code's own format version.

Stored view models are derived data, like the competency snapshots: a GET that builds one
keeps it (trainer.web.transaction.keep_derived_data), and losing the table loses nothing.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app
from sqlalchemy import JSON, ColumnElement, String, func, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from trainer import timeutil
from trainer.curriculum.models import ModuleAttempt
from trainer.dataversion import (
    CONTENT_SCOPE,
    cohort_scope,
    org_scope,
    trainee_scope,
    version_of,
)
from trainer.extensions import db
from trainer.vignettes.models import VignetteAttempt

FORMAT = 1  # move when the shape of a stored view model changes
MEMORY_ENTRIES = 4096


class ViewModel(db.Model):
    """A built view model and the stamp it was built for."""

    __tablename__ = "view_models"

    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(400))
    data: Mapped[dict] = mapped_column(JSON)


class _Memory:
    """This process's view models: least recently used first out, thread-safe."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self.items: OrderedDict[str, tuple[str, dict]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, scope: str, stamp: str) -> dict | None:
        with self.lock:
            found = self.items.get(scope)
            if found is None or found[0] != stamp:
                return None
            self.items.move_to_end(scope)
            return found[1]

    def put(self, scope: str, stamp: str, data: dict) -> None:
        with self.lock:
            self.items[scope] = (stamp, data)
            self.items.move_to_end(scope)
            while len(self.items) > self.entries:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


def memory() -> _Memory:
    """This app's memory (one app per process in production; a fresh one per test)."""
    extensions = current_app.extensions
    if "viewcache" not in extensions:
        extensions["viewcache"] = _Memory(MEMORY_ENTRIES)
    return extensions["viewcache"]


def cached(scope: str, stamp: str, build: Callable[[], dict]) -> dict:
    """The view model of this scope for this stamp: kept, stored or built (JSON data)."""
    stamp = f"{FORMAT}/{timeutil.utcnow().date()}/{stamp}"
    found = memory().get(scope, stamp)
    if found is not None:
        return found
    row = db.session.execute(select(ViewModel.stamp, ViewModel.data)
                             .where(ViewModel.scope == scope)).first()
    if row is not None and row.stamp == stamp:
        data = row.data
    else:
        data = build()
        _store(scope, stamp, data)
    memory().put(scope, stamp, data)
    return data


def _store(scope: str, stamp: str, data: dict) -> None:
    table = ViewModel.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(scope=scope, stamp=stamp, data=data)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.scope], set_={"stamp": stamp, "data": data}))


def _attempt_marks(*where_module: ColumnElement, where_vignette: tuple) -> list:
    """The last id of the module and the vignette attempts: a new attempt moves one of
    them. Attempts are never deleted (no service deletes one; a service that ever did
    would move the counters); a text rating moves the trainee's counter. One index
    lookup each ((organisation_id, id)), where a count would read every attempt."""
    module = select(func.max(ModuleAttempt.id).label("last_module")).where(*where_module)
    vignette = select(func.max(VignetteAttempt.id).label("last_vignette")).where(
        *where_vignette)
    return [module.subquery(), vignette.subquery()]


def _stamp(counters: list[str], marks: list) -> str:
    columns = [version_of(name).label(f"c{i}") for i, name in enumerate(counters)]
    module, vignette = marks  # one row each: joined on nothing
    row = db.session.execute(select(*columns, *module.c, *vignette.c)
                             .select_from(module.join(vignette, true()))).one()
    return "/".join("" if value is None else str(value) for value in row)


def trainee_stamp(organisation_id: int, user_id: int) -> str:
    """What one trainee's view models are built from, in one query."""
    marks = _attempt_marks(ModuleAttempt.user_id == user_id,
                           ModuleAttempt.organisation_id == organisation_id,
                           where_vignette=(VignetteAttempt.user_id == user_id,
                                           VignetteAttempt.organisation_id == organisation_id))
    return _stamp([CONTENT_SCOPE, org_scope(organisation_id),
                   trainee_scope(organisation_id, user_id)], marks)


def organisation_stamp(organisation_id: int) -> str:
    """What an organisation's view models are built from, in one query."""
    marks = _attempt_marks(ModuleAttempt.organisation_id == organisation_id,
                           where_vignette=(VignetteAttempt.organisation_id == organisation_id,))
    return _stamp([CONTENT_SCOPE, org_scope(organisation_id), cohort_scope(organisation_id)],
                  marks)
