"""Loaded content: one table per kind, one row per (id, version); rows are never deleted."""

from datetime import datetime

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from trainer.extensions import db
from trainer.timeutil import UTCDateTime, utcnow


class ContentMixin:
    """Columns every content kind shares."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON)
    latest: Mapped[bool] = mapped_column(default=True)
    source: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr.directive
    def __table_args__(cls):  # noqa: N805
        return (UniqueConstraint("key", "version"),)


class CompetencyFramework(ContentMixin, db.Model):
    """The competency framework (levels, weights, competencies)."""

    __tablename__ = "competency_frameworks"


class Module(ContentMixin, db.Model):
    """A curriculum module with its sections and knowledge check."""

    __tablename__ = "modules"

    position: Mapped[int] = mapped_column(Integer, default=0)
    core: Mapped[bool] = mapped_column(default=True)
    minutes: Mapped[int] = mapped_column(Integer, default=0)


class Vignette(ContentMixin, db.Model):
    """A case vignette with its stages and expert rubric."""

    __tablename__ = "vignettes"

    population: Mapped[str] = mapped_column(String(32), default="adult")
    format: Mapped[str] = mapped_column(String(32), default="individual")
    condition: Mapped[str] = mapped_column(String(120), default="")
    variant: Mapped[str] = mapped_column(String(64), default="")
    difficulty: Mapped[int] = mapped_column(Integer, default=1)


class RatingScale(ContentMixin, db.Model):
    """A session rating scale."""

    __tablename__ = "rating_scales"


class Pathway(ContentMixin, db.Model):
    """A certification pathway."""

    __tablename__ = "pathways"


KIND_MODELS = {
    "framework": CompetencyFramework,
    "module": Module,
    "vignette": Vignette,
    "scale": RatingScale,
    "pathway": Pathway,
}
