"""Loading content into the database: one transaction, versioned, never half-loaded."""

import hashlib
import json
from collections import Counter
from pathlib import Path

from sqlalchemy import exists, select

from trainer.content.files import ContentFile
from trainer.content.models import KIND_MODELS
from trainer.content.validate import Catalogue, load_files, validate, warning_lines
from trainer.dataversion import content_changed
from trainer.extensions import db
from trainer.timeutil import utcnow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATHS = (PROJECT_ROOT / "curriculum", PROJECT_ROOT / "vignettes")
LOAD_ORDER = ("framework", "scale", "module", "pathway", "vignette")


def project_catalogue(exclude: list[Path]) -> Catalogue:
    """The ids defined by the project's own curriculum/ (for validating other files)."""
    catalogue = Catalogue()
    folder = PROJECT_ROOT / "curriculum"
    if folder.is_dir() and folder.resolve() not in [p.resolve() for p in exclude]:
        items, _ = load_files([folder])
        for item in items:
            if item.valid:
                catalogue.add(item.kind, item.data)
    return catalogue


def database_catalogue() -> Catalogue:
    """The ids of the latest loaded content."""
    catalogue = Catalogue()
    for kind in ("framework", "module", "pathway", "scale"):
        for row in db.session.scalars(select(KIND_MODELS[kind]).where(
                KIND_MODELS[kind].latest.is_(True))):
            catalogue.add(kind, row.data)
    return catalogue


def validate_paths(paths: list[Path]) -> list[str]:
    """Every problem of the files, references resolved with the project's curriculum, then
    the warnings (lines holding ": warning: ")."""
    items, lines = validate(paths, project_catalogue(paths))
    return lines + warning_lines(items)


def sync_content(paths: list[Path]) -> tuple[dict[str, Counter], list[str]]:
    """Validate, then load every file (caller commits); problems mean nothing was loaded."""
    items, lines = validate(paths, database_catalogue())
    if lines:
        return {}, lines
    summary: dict[str, Counter] = {kind: Counter() for kind in LOAD_ORDER}
    problems: list[str] = []
    for kind in LOAD_ORDER:
        for item in (i for i in items if i.kind == kind):
            outcome = _load_item(item, prepare(item))
            if outcome.startswith("error:"):
                problems.append(f"{item.display}: version: {outcome[6:]}")
            else:
                summary[kind][outcome] += 1
    if any(set(count) - {"unchanged"} for count in summary.values()):
        content_changed()  # every content cache and view model is stale
    db.session.flush()
    return summary, problems


def prepare(item: ContentFile) -> dict:
    """The data to store: the validated fields, plus section texts for modules."""
    data = dict(item.data)
    if item.kind == "module":
        folder = item.path.parent
        data["sections"] = [
            {**section, "body": (folder / section["file"]).read_text(encoding="utf-8")}
            for section in data["sections"]
        ]
    return data


def content_hash(data: dict) -> str:
    """A stable digest of an item's content."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _load_item(item: ContentFile, data: dict) -> str:
    model = KIND_MODELS[item.kind]
    version = data.get("version", 1)
    digest = content_hash(data)
    rows = list(db.session.scalars(select(model).where(model.key == item.key)))
    same = next((row for row in rows if row.version == version), None)
    if same is not None:
        if same.content_hash == digest:
            return "unchanged"
        if in_use(item.kind, same):
            return (f"error:{item.kind} '{item.key}' version {version} has attempts or ratings "
                    "against it: raise its version to change it")
        _fill(same, item, data, digest)
        return "updated"
    newest = max((row.version for row in rows), default=0)
    if version < newest:
        return f"error:version {version} is older than the loaded version {newest}"
    for row in rows:
        row.latest = False
    row = model(key=item.key, version=version)
    _fill(row, item, data, digest)
    db.session.add(row)
    return "updated" if rows else "added"


def _fill(row, item: ContentFile, data: dict, digest: str) -> None:
    row.title, row.data, row.content_hash = data["title"], data, digest
    row.source, row.updated_at, row.latest = item.display, utcnow(), True
    if item.kind == "module":
        row.position, row.core, row.minutes = data["order"], data["core"], data["minutes"]
    elif item.kind == "vignette":
        row.population, row.format, row.condition = (data["population"], data["format"],
                                                     data["condition"])
        row.variant, row.difficulty = data["variant"], data["difficulty"]


def in_use(kind: str, row) -> bool:
    """True when attempts or ratings point at this version (then it may not change)."""
    if kind == "module":
        from trainer.curriculum.models import ModuleAttempt

        return db.session.scalar(select(exists().where(ModuleAttempt.module_id == row.id)))
    if kind == "vignette":
        from trainer.vignettes.models import VignetteAttempt, VignetteDraft

        return db.session.scalar(select(
            exists().where(VignetteAttempt.vignette_id == row.id)
            | exists().where(VignetteDraft.vignette_id == row.id)))
    return False


def format_summary(summary: dict[str, Counter]) -> str:
    """One line: added / updated / unchanged per kind."""
    parts = []
    for kind in LOAD_ORDER:
        counts = summary.get(kind, Counter())
        parts.append(f"{kind} {counts['added']} added, {counts['updated']} updated, "
                     f"{counts['unchanged']} unchanged")
    return "Content synced: " + "; ".join(parts) + "."
