"""Which pathways an organisation offers (none chosen: all loaded pathways)."""

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db


class OfferedPathway(db.Model):
    """A pathway an organisation's admin chose to offer."""

    __tablename__ = "offered_pathways"
    __table_args__ = (UniqueConstraint("organisation_id", "pathway_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    pathway_key: Mapped[str] = mapped_column(String(64))


class CompetencySnapshot(db.Model):
    """A trainee's computed estimates, kept with the evidence marker they were computed from;
    recomputed whenever the marker or the framework changes (a cache, never the truth)."""

    __tablename__ = "competency_snapshots"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    marker: Mapped[str] = mapped_column(String(200))
    framework_hash: Mapped[str] = mapped_column(String(64))
    estimates: Mapped[list] = mapped_column(JSON)
    # Pathways whose evidence-only requirements (modules, vignettes, competencies) were met
    # for this marker: {"key": <pathways and modules hash>, "met": [pathway ids]}.
    checks: Mapped[dict | None] = mapped_column(JSON)
