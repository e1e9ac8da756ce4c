"""Named counters that the services move when they change what a cached view model reads
(CTFd's `clear_standings()`, kept in the database so that every worker sees them).

A counter is a row of `data_versions` (scope, version): `content`, moved by a content sync;
`org:<id>`, moved by a change every page of an organisation may show (people, cohorts,
assignments, offered pathways, calibration); `trainee:<org>:<user>`, moved by a change to
one trainee's record other than an attempt (cases, sessions, supervision, ratings,
certificates), together with `cohort:<org>`, which only the cohort pages read (so one
trainee's new rating rebuilds the cohort page, not every other trainee's profile). Attempts
move no counter: the view-model stamps count them instead (trainer/viewcache.py), so the
submission path writes nothing beyond its own row, and no row is shared by every write.
This module is data, not HTTP: services use it; it imports nothing of Flask.
"""

from sqlalchemy import BigInteger, String, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.orgs.models import Membership, Organisation

CONTENT_SCOPE = "content"


class DataVersion(db.Model):
    """A named counter; view-model stamps read it, the services that change the data move it."""

    __tablename__ = "data_versions"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


def org_scope(organisation_id: int) -> str:
    return f"org:{organisation_id}"


def trainee_scope(organisation_id: int, user_id: int) -> str:
    return f"trainee:{organisation_id}:{user_id}"


def cohort_scope(organisation_id: int) -> str:
    return f"cohort:{organisation_id}"


def bump(*scopes: str) -> None:
    """One more on each counter (created at 1), in the caller's transaction. Sorted, so two
    transactions moving the same counters take their row locks in the same order."""
    names = sorted(set(scopes))
    if not names:
        return
    table = DataVersion.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values([{"scope": s, "version": 1} for s in names])
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.scope], set_={"version": table.c.version + 1}))


def content_changed() -> None:
    """Content was loaded or changed: every content cache and view model is stale."""
    bump(CONTENT_SCOPE)


def organisation_changed(organisation_id: int) -> None:
    """Something every page of the organisation may show changed (its trainees' pages too)."""
    bump(org_scope(organisation_id))


def organisations_changed(organisation_id: int | None) -> None:
    """organisation_changed, or for every organisation when the change is the platform's
    (a platform gold-standard recording calibrates supervisors everywhere)."""
    if organisation_id is not None:
        organisation_changed(organisation_id)
        return
    bump(*[org_scope(o) for o in db.session.scalars(select(Organisation.id))])


def trainee_changed(organisation_id: int, user_id: int) -> None:
    """One trainee's record changed in a way their pages and the cohort pages show."""
    bump(cohort_scope(organisation_id), trainee_scope(organisation_id, user_id))


def person_changed_everywhere(user_id: int) -> None:
    """A change that every organisation of the person shows (a certificate is checked
    across the platform; a name is shown in every cohort)."""
    org_ids = set(db.session.scalars(select(Membership.organisation_id).where(
        Membership.user_id == user_id)))
    bump(*[cohort_scope(o) for o in org_ids], *[trainee_scope(o, user_id) for o in org_ids])


def version_of(scope: str):
    """The counter's value as a scalar subquery (0 when it was never moved)."""
    return select(db.func.coalesce(db.func.max(DataVersion.version), 0)).where(
        DataVersion.scope == scope).scalar_subquery()
