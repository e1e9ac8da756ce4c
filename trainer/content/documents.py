"""Content documents kept in memory per process, by content hash.

A content row's `data` is the parsed YAML of one item, and its `content_hash` is the
SHA-256 of exactly that data (content/services.py), so a hash names one document for good:
rows loaded with `data` deferred get it from here instead of decoding the same JSON on
every request. The documents are shared between requests: treat them as read-only.
"""

import threading

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from trainer.extensions import db

LIMIT = 4096  # documents per process; the shipped content is a few dozen
_documents: dict[tuple[str, str], dict] = {}
_lock = threading.Lock()


def document(model, row_id: int, content_hash: str) -> dict:
    """The document of one content row, from memory when this hash was seen before."""
    key = (model.__tablename__, content_hash)
    data = _documents.get(key)
    if data is None:
        data = db.session.scalar(select(model.data).where(model.id == row_id))
        with _lock:
            if len(_documents) < LIMIT:
                _documents[key] = data
    return data


def with_document(row):
    """The row (a content model loaded with `data` deferred), its document attached."""
    if row is not None:
        with_documents([row])
    return row


def with_documents(rows: list) -> list:
    """The rows (of one content model, `data` deferred) with their documents attached; the
    documents not yet in memory are read in one query."""
    waiting = [row for row in rows if "data" not in row.__dict__]
    missing = [row for row in waiting
               if (row.__tablename__, row.content_hash) not in _documents]
    read: dict = {}
    if missing:
        model = type(missing[0])
        read = {row_id: data for row_id, data in db.session.execute(
            select(model.id, model.data).where(model.id.in_([row.id for row in missing])))}
        with _lock:
            for row in missing:
                if len(_documents) < LIMIT:
                    _documents[(row.__tablename__, row.content_hash)] = read[row.id]
    for row in waiting:
        data = _documents.get((row.__tablename__, row.content_hash))
        data = read[row.id] if data is None else data  # (None: the store was full)
        set_committed_value(row, "data", data)  # loaded, not a change to write back
    return rows
