"""The data versions: counters that committed writes move, read by the page cache
(trainer/web/pagecache.py) and by the submission API's content lookups.

Every committed write bumps one number, the data version (`data_versions`, scope
`global`): a listener sees each INSERT, UPDATE and DELETE a connection sends and, when that
connection commits, adds one to the version in the same transaction. A second counter
(scope `content`) moves only with writes to the content tables. Writes no page shows are
not counted: the snapshots (a cache of the evidence, rewritten while pages render) and
updates of API tokens (last-use times and revocations; no cached page shows tokens).
This module is data, not HTTP: services may use it; it imports nothing of Flask.
"""

import re

from sqlalchemy import DDL, BigInteger, String, event, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db

SCOPE = "global"
CONTENT_SCOPE = "content"  # moved by writes to the content tables only
CONTENT_TABLES = {"competency_frameworks", "modules", "vignettes", "rating_scales", "pathways"}
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z_]\w*)', re.I)
UNCOUNTED = {"data_versions", "competency_snapshots"}  # never shown as such on any page
UNCOUNTED_UPDATES = {"api_tokens"}  # last uses (once a minute), revocations: no page shows them
MIGRATING = "alembic_version"  # a migration commits: the table may not exist yet


class DataVersion(db.Model):
    """A counter moved by every committed write; cached pages are keyed by it."""

    __tablename__ = "data_versions"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


# Tables made by create_all (the tests) start with their row, as the migration does.
event.listen(DataVersion.__table__, "after_create", DDL(
    "INSERT INTO data_versions (scope, version) VALUES ('global', 1), ('content', 1)"))


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
    """Remember that this connection's transaction writes something a page may show."""
    found = WRITE.match(statement)
    if found is None:
        return
    table = found.group(1).lower()
    if table == MIGRATING:
        connection.info["pagecache_migrating"] = True
    elif table not in UNCOUNTED and not (
            table in UNCOUNTED_UPDATES and statement.lstrip()[:6].upper() == "UPDATE"):
        connection.info["pagecache_writes"] = True
        if table in CONTENT_TABLES:
            connection.info["pagecache_content"] = True


@event.listens_for(Engine, "commit")
def _bump_version(connection) -> None:
    """Just before the commit: one more version, in the same transaction as the writes."""
    migrating = connection.info.pop("pagecache_migrating", False)
    content = connection.info.pop("pagecache_content", False)
    if connection.info.pop("pagecache_writes", False) and not migrating:
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute("UPDATE data_versions SET version = version + 1 "
                           "WHERE scope = 'global'")
            if content:
                cursor.execute("UPDATE data_versions SET version = version + 1 "
                               "WHERE scope = 'content'")
        finally:
            cursor.close()


@event.listens_for(Engine, "rollback")
def _forget_writes(connection) -> None:
    for flag in ("pagecache_writes", "pagecache_content", "pagecache_migrating"):
        connection.info.pop(flag, None)


def version_bump():
    """The data version's UPDATE as a CTE, for a PostgreSQL write that moves the version
    in its own statement (see vignettes.services.insert_attempt)."""
    return (update(DataVersion).where(DataVersion.scope == SCOPE)
            .values(version=DataVersion.version + 1).returning(DataVersion.version)
            .cte("data_version_bump"))
