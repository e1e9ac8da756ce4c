"""Which pathways an organisation offers (none chosen: all loaded pathways)."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
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
