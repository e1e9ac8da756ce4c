"""Calibration's answers to other features' signals, connected when the app is created."""

from trainer.calibration.services import maybe_draw_second_rating
from trainer.supervision.signals import rating_submitted


@rating_submitted.connect
def draw_second_rating(rater, rating, **_extra) -> None:
    """A submitted summative rating may be drawn for a blind second rating."""
    maybe_draw_second_rating(rater, rating)
