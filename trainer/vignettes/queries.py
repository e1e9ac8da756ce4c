"""Read-only lookups for the vignette catalogue and attempt history (fixed query counts)."""

from dataclasses import dataclass

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import defer, selectinload

from trainer.content.documents import document, with_document, with_documents
from trainer.content.models import Vignette
from trainer.extensions import db
from trainer.vignettes.models import VignetteAttempt


@dataclass
class CatalogueRow:
    """A vignette with the viewer's best score and pass state."""

    vignette: Vignette
    best_score: float | None
    passed: bool
    attempted: bool


def vignette_by_key(key: str) -> Vignette | None:
    """The newest version of a vignette (its document from the per-process store)."""
    return with_document(db.session.scalar(
        select(Vignette).options(defer(Vignette.data))
        .where(Vignette.key == key, Vignette.latest.is_(True))))


@dataclass(frozen=True)
class VignetteRef:
    """What scoring and storing an attempt need of a vignette, without an ORM object."""

    id: int
    key: str
    version: int
    content_hash: str
    title: str
    data: dict


REFS_LIMIT = 1024
_REF = select(Vignette.id, Vignette.key, Vignette.version, Vignette.content_hash,
              Vignette.title).where(Vignette.key == bindparam("key"), Vignette.latest.is_(True))


_refs: dict[tuple[str, int], VignetteRef] = {}


def vignette_ref(key: str, content_version: int | None = None) -> VignetteRef | None:
    """The newest version of a vignette as a VignetteRef (the document from memory). Given
    the content version (trainer.dataversion: moved by every content sync,
    read before this call), the answer is kept per process under it and reused without a
    query until the content changes."""
    if content_version is not None and (key, content_version) in _refs:
        return _refs[(key, content_version)]
    row = db.session.execute(_REF, {"key": key}).first()
    if row is None:
        return None
    ref = VignetteRef(*row, data=document(Vignette, row.id, row.content_hash))
    if content_version is not None:
        if len(_refs) > REFS_LIMIT:
            _refs.clear()  # old content versions: nobody asks for them again
        _refs[(key, content_version)] = ref
    return ref


def catalogue(user_id: int | None, organisation_id: int, filters: dict) -> list[CatalogueRow]:
    """Latest vignettes matching the filters, with the trainee's results, in two queries."""
    query = select(Vignette).options(defer(Vignette.data)).where(Vignette.latest.is_(True))
    for column in ("population", "format", "condition"):
        if filters.get(column):
            query = query.where(getattr(Vignette, column) == filters[column])
    if filters.get("difficulty"):
        query = query.where(Vignette.difficulty == filters["difficulty"])
    vignettes = with_documents(list(db.session.scalars(
        query.order_by(Vignette.difficulty, Vignette.title))))
    results = results_by_vignette(user_id, organisation_id) if user_id else {}
    rows = [CatalogueRow(v, *results.get(v.key, (None, False, False))) for v in vignettes]
    area = filters.get("problem_area")
    if area:  # a trainee may only filter on what they have already seen
        rows = [r for r in rows if (r.attempted or user_id is None)
                and area in r.vignette.data["problem_areas"]]
    return rows


def results_by_vignette(user_id: int, organisation_id: int) -> dict[str, tuple]:
    """Per vignette id: (best score of non-pending attempts, any passed, any submitted)."""
    rows = db.session.execute(
        select(VignetteAttempt.vignette_key,
               func.max(case((VignetteAttempt.status != "pending", VignetteAttempt.score))),
               func.max(case((VignetteAttempt.status == "passed", 1), else_=0)))
        .where(VignetteAttempt.user_id == user_id,
               VignetteAttempt.organisation_id == organisation_id)
        .group_by(VignetteAttempt.vignette_key))
    return {key: (best, bool(passed), True) for key, best, passed in rows}


def attempts_of(user_id: int, organisation_id: int, key: str | None = None):
    """A trainee's attempts, newest first (optionally of one vignette)."""
    query = select(VignetteAttempt).where(VignetteAttempt.user_id == user_id,
                                          VignetteAttempt.organisation_id == organisation_id)
    if key:
        query = query.where(VignetteAttempt.vignette_key == key)
    return list(db.session.scalars(
        query.options(selectinload(VignetteAttempt.vignette))
        .order_by(VignetteAttempt.submitted_at.desc(), VignetteAttempt.id.desc())))


def next_attempt_number(user_id: int, organisation_id: int, key: str) -> int:
    """The number the trainee's next submitted attempt at a vignette will have (1 first)."""
    count = db.session.scalar(select(func.count(VignetteAttempt.id)).where(
        VignetteAttempt.user_id == user_id, VignetteAttempt.organisation_id == organisation_id,
        VignetteAttempt.vignette_key == key))
    return count + 1


def filter_choices() -> dict[str, list]:
    """Distinct values for the catalogue's filter menus."""
    rows = db.session.execute(select(Vignette.population, Vignette.condition,
                                     Vignette.difficulty).where(Vignette.latest.is_(True)))
    populations, conditions, difficulties = set(), set(), set()
    for population, condition, difficulty in rows:
        populations.add(population)
        conditions.add(condition)
        difficulties.add(difficulty)
    return {"population": sorted(populations), "condition": sorted(conditions),
            "difficulty": sorted(difficulties)}
