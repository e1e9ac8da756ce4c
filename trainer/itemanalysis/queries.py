"""Read-only lookups for item analysis: the content chosen and its attempts, in one query each
whatever the number of attempts (the first attempt per trainee is picked in SQL)."""

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from trainer.content.documents import with_document
from trainer.content.models import Module, Vignette
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.itemanalysis.engine import (
    Response,
    analyse,
    check_items,
    check_response,
    vignette_items,
    vignette_response,
)
from trainer.itemanalysis.report import report
from trainer.orgs.models import Organisation
from trainer.vignettes.models import VignetteAttempt

MODELS = {"check": Module, "vignette": Vignette}


def catalogue() -> dict[str, list]:
    """The newest version of every module and vignette: (key, title), for the chooser."""
    return {
        "check": list(db.session.execute(select(Module.key, Module.title).where(
            Module.latest.is_(True)).order_by(Module.position, Module.key))),
        "vignette": list(db.session.execute(select(Vignette.key, Vignette.title).where(
            Vignette.latest.is_(True)).order_by(Vignette.title, Vignette.key))),
    }


def versions(kind: str, key: str) -> list[int]:
    """The loaded versions of a module or vignette, newest first."""
    model = MODELS[kind]
    return list(db.session.scalars(select(model.version).where(model.key == key)
                                   .order_by(model.version.desc())))


def content(kind: str, key: str, version: int | None):
    """That version of a module or vignette (default the newest), its document attached;
    None when there is none."""
    model = MODELS[kind]
    query = select(model).options(defer(model.data)).where(model.key == key)
    query = query.where(model.latest.is_(True) if version is None else model.version == version)
    return with_document(db.session.scalar(query))


def organisations() -> list:
    """Every organisation (slug, name), for a platform admin's chooser."""
    return list(db.session.execute(select(Organisation.slug, Organisation.name)
                                   .order_by(Organisation.name)))


def organisation_by_slug(slug: str) -> Organisation | None:
    """The organisation with this slug, if any."""
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _attempts(model, columns: list, key_column, version_column, key: str, version: int,
              organisation_id: int | None, first: bool):
    query = select(*columns).where(key_column == key, version_column == version)
    if organisation_id is not None:
        query = query.where(model.organisation_id == organisation_id)
    if first:  # each trainee's first submitted attempt at this version, in their organisation
        rank = func.row_number().over(partition_by=(model.user_id, model.organisation_id),
                                      order_by=(model.submitted_at, model.id)).label("rank")
        ranked = query.add_columns(rank).subquery()
        query = select(*[ranked.c[c.key] for c in columns]).where(ranked.c.rank == 1)
    return db.session.execute(query.execution_options(yield_per=500))


def check_responses(key: str, version: int, organisation_id: int | None,
                    first: bool) -> list[Response]:
    """The check attempts at this module version (of one organisation, or all)."""
    rows = _attempts(ModuleAttempt, [ModuleAttempt.id, ModuleAttempt.results,
                                     ModuleAttempt.answers],
                     ModuleAttempt.module_key, ModuleAttempt.module_version, key, version,
                     organisation_id, first)
    return [check_response(row.id, row.results or {}, row.answers or {}) for row in rows]


def vignette_responses(key: str, version: int, organisation_id: int | None,
                       first: bool) -> list[Response]:
    """The submitted attempts at this vignette version (of one organisation, or all)."""
    rows = _attempts(VignetteAttempt, [VignetteAttempt.id, VignetteAttempt.stage_results],
                     VignetteAttempt.vignette_key, VignetteAttempt.vignette_version, key,
                     version, organisation_id, first)
    return [vignette_response(row.id, row.stage_results or []) for row in rows]


RESPONSES = {"check": check_responses, "vignette": vignette_responses}


def item_analysis(kind: str, row, organisation: Organisation | None, attempts: str) -> dict:
    """The figures of one version of a check or vignette (`row`) over the trainees' first
    attempts or all of them, of one organisation or of every one (None)."""
    items = check_items(row.data["check"]) if kind == "check" else vignette_items(row.data)
    responses = RESPONSES[kind](row.key, row.version, organisation and organisation.id,
                                attempts == "first")
    return report(analyse(items, responses), kind=kind, key=row.key, version=row.version,
                  attempts=attempts, organisation=organisation.slug if organisation else None)
