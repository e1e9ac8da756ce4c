"""Read-only lookups for the catalogue, module pages and progress (fixed query counts)."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.content.models import Module
from trainer.curriculum.models import ModuleAttempt, SectionRead
from trainer.extensions import db


@dataclass
class Progress:
    """A trainee's progress on one module (across its versions)."""

    passed: bool = False
    attempts: int = 0
    best: float | None = None
    read: set[int] = field(default_factory=set)

    @property
    def status(self) -> str:
        if self.passed:
            return "passed"
        return "in-progress" if self.read or self.attempts else "not-started"


@dataclass
class CatalogueEntry:
    """A module in the catalogue with the viewer's status and lock."""

    module: Module
    progress: Progress
    missing: list[str]

    @property
    def locked(self) -> bool:
        return bool(self.missing)


def latest_modules() -> list[Module]:
    """The newest version of every module, in catalogue order."""
    return list(db.session.scalars(
        select(Module).where(Module.latest.is_(True)).order_by(Module.position, Module.key)))


def module_by_key(key: str) -> Module | None:
    """The newest version of a module."""
    return db.session.scalar(select(Module).where(Module.key == key, Module.latest.is_(True)))


def progress_by_module(user_id: int, organisation_id: int) -> dict[str, Progress]:
    """Progress per module id, in two queries."""
    progress: dict[str, Progress] = {}
    for key, section in db.session.execute(
            select(SectionRead.module_key, SectionRead.section).where(
                SectionRead.user_id == user_id, SectionRead.organisation_id == organisation_id)):
        progress.setdefault(key, Progress()).read.add(section)
    for key, score, passed in db.session.execute(
            select(ModuleAttempt.module_key, ModuleAttempt.score, ModuleAttempt.passed).where(
                ModuleAttempt.user_id == user_id,
                ModuleAttempt.organisation_id == organisation_id)):
        entry = progress.setdefault(key, Progress())
        entry.attempts += 1
        entry.passed = entry.passed or passed
        entry.best = score if entry.best is None else max(entry.best, score)
    return progress


def catalogue(user_id: int | None, organisation_id: int) -> list[CatalogueEntry]:
    """Every module with the trainee's progress and the prerequisites not yet passed."""
    modules = latest_modules()
    progress = progress_by_module(user_id, organisation_id) if user_id else {}
    titles = {m.key: m.title for m in modules}
    entries = []
    for module in modules:
        missing = [] if user_id is None else [
            titles.get(key, key) for key in module.data["prerequisites"]
            if not progress.get(key, Progress()).passed]
        entries.append(CatalogueEntry(module, progress.get(module.key, Progress()), missing))
    return entries


def has_passed(user_id: int, organisation_id: int, module_key: str) -> bool:
    """Whether the trainee has passed the module's check on any attempt (any version)."""
    return db.session.scalar(select(ModuleAttempt.id).where(
        ModuleAttempt.user_id == user_id, ModuleAttempt.organisation_id == organisation_id,
        ModuleAttempt.module_key == module_key, ModuleAttempt.passed.is_(True)).limit(1)) \
        is not None


def latest_attempt(user_id: int, organisation_id: int, module_key: str) -> ModuleAttempt | None:
    """The trainee's newest check attempt at a module (any version)."""
    return db.session.scalar(
        select(ModuleAttempt).where(ModuleAttempt.user_id == user_id,
                                    ModuleAttempt.organisation_id == organisation_id,
                                    ModuleAttempt.module_key == module_key)
        .order_by(ModuleAttempt.submitted_at.desc(), ModuleAttempt.id.desc()).limit(1))


def attempts_of(user_id: int, organisation_id: int, module_key: str | None = None):
    """A trainee's check attempts, newest first (optionally of one module)."""
    query = select(ModuleAttempt).where(ModuleAttempt.user_id == user_id,
                                        ModuleAttempt.organisation_id == organisation_id)
    if module_key:
        query = query.where(ModuleAttempt.module_key == module_key)
    return list(db.session.scalars(
        query.options(selectinload(ModuleAttempt.module))
        .order_by(ModuleAttempt.submitted_at.desc(), ModuleAttempt.id.desc())))
