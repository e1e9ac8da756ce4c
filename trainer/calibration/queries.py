"""Read-only lookups for calibration pages and the supervisor's queue."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.calibration.models import DoubleRating
from trainer.extensions import db


def waiting_second_ratings(rater_id: int, organisation_id: int) -> list[DoubleRating]:
    """Blind second ratings drawn for this supervisor and not yet given, oldest first."""
    return list(db.session.scalars(
        select(DoubleRating).where(DoubleRating.second_rater_id == rater_id,
                                   DoubleRating.organisation_id == organisation_id,
                                   DoubleRating.second_rating_id.is_(None))
        .options(selectinload(DoubleRating.session))
        .order_by(DoubleRating.drawn_at, DoubleRating.id)))

