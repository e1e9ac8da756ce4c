"""Gold-standard recordings, blind ratings of them and each supervisor's calibration."""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from trainer.audit.services import record
from trainer.calibration.models import (
    CalibrationSettings,
    DoubleRating,
    GoldRating,
    GoldStandard,
)
from trainer.calibration.stats import (
    Agreement,
    PairAgreement,
    Thresholds,
    agreement,
    calibration_status,
    pairwise_agreement,
)
from trainer.calibration.status import calibrated_rater_ids
from trainer.cases.recordings import save_upload
from trainer.content.models import RatingScale
from trainer.dataversion import organisation_changed, organisations_changed
from trainer.errors import Conflict, DomainError
from trainer.extensions import db
from trainer.notifications.services import notify
from trainer.supervision.scales import validate_rating
from trainer.timeutil import utcnow

DEFAULT_SCALE = "ipt-session-quality"
DRIFT_WINDOW = 3  # the most recent gold-standard ratings watched for drift


def settings_for(organisation_id: int) -> CalibrationSettings:
    """The organisation's thresholds (defaults when none were set)."""
    found = db.session.get(CalibrationSettings, organisation_id)
    return found or CalibrationSettings(organisation_id=organisation_id, icc=0.70,
                                        within_one=0.80, bias=0.5, min_recordings=3,
                                        lapse_months=12, double_share=0.15)


def save_settings(organisation_id: int, values: dict) -> CalibrationSettings:
    """The organisation's calibration thresholds (checked by the caller's form)."""
    row = db.session.get(CalibrationSettings, organisation_id) or CalibrationSettings(
        organisation_id=organisation_id)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.add(row)
    organisation_changed(organisation_id)  # who is calibrated may change
    return row


def thresholds(settings: CalibrationSettings) -> Thresholds:
    """The pure statistics' view of the settings."""
    return Thresholds(icc=settings.icc, within_one=settings.within_one, bias=settings.bias,
                      min_recordings=settings.min_recordings)


def create_gold(actor, organisation_id: int | None, data: dict, stream) -> GoldStandard:
    """Store a gold-standard recording with its consensus; teaching consent is required."""
    if not data.get("teaching_consent"):
        raise DomainError("Gold-standard recordings need the client's consent to teaching and "
                          "calibration use.", field="teaching_consent")
    if not (data.get("title") or "").strip():
        raise DomainError("Give the recording a title.", field="title")
    scale = db.session.scalar(select(RatingScale).where(RatingScale.key == DEFAULT_SCALE,
                                                        RatingScale.latest.is_(True)))
    items = validate_rating(scale.data, data["phase"], data.get("items"), data.get("global"),
                            {})
    name, content_type, size, digest = save_upload(stream)
    gold = GoldStandard(organisation_id=organisation_id, title=data["title"].strip(),
                        scale_id=scale.id, phase=data["phase"], storage_name=name,
                        content_type=content_type, bytes=size, sha256=digest,
                        consensus_items=items, consensus_global=data["global"],
                        teaching_consent_at=utcnow(), created_by_id=getattr(actor, "id", None))
    db.session.add(gold)
    db.session.flush()
    record(actor, "gold.created", organisation_id=organisation_id, target=gold)
    organisations_changed(organisation_id)  # who is calibrated may change
    return gold


def golds_for(organisation_id: int) -> list[GoldStandard]:
    """The organisation's gold standards and the platform-wide ones, oldest first."""
    return list(db.session.scalars(select(GoldStandard).where(or_(
        GoldStandard.organisation_id == organisation_id,
        GoldStandard.organisation_id.is_(None))).order_by(GoldStandard.created_at)))


def rate_gold(rater, organisation_id: int, gold: GoldStandard, items, global_score) -> GoldRating:
    """A supervisor's blind rating; one per recording."""
    clean = validate_rating(gold.scale.data, gold.phase, items, global_score, {})
    rating = GoldRating(gold_id=gold.id, rater_id=rater.id, organisation_id=organisation_id,
                        items=clean, global_score=global_score)
    try:
        with db.session.begin_nested():
            db.session.add(rating)
    except IntegrityError:
        raise Conflict("You have already rated this recording.") from None
    record(rater, "gold.rated", organisation_id=organisation_id, target=gold)
    organisation_changed(organisation_id)  # the rater's calibration may change
    return rating


@dataclass
class Calibration:
    """A supervisor's standing on the default scale."""

    agreement: Agreement
    calibrated: bool
    reasons: list[str]
    drifting: bool
    ratings: list[GoldRating]


def calibrations(rater_ids: list[int], organisation_id: int) -> dict[int, Calibration]:
    """Each supervisor's calibration from their current gold-standard ratings (one query)."""
    settings = settings_for(organisation_id)
    since = utcnow() - timedelta(days=30 * settings.lapse_months)
    by_rater: dict[int, list[GoldRating]] = {uid: [] for uid in rater_ids}
    for rating in db.session.scalars(
            select(GoldRating).join(GoldStandard).where(
                GoldRating.rater_id.in_(rater_ids), GoldRating.organisation_id == organisation_id,
                GoldRating.submitted_at >= since).order_by(GoldRating.submitted_at)):
        by_rater[rating.rater_id].append(rating)
    limits = thresholds(settings)
    return {uid: _calibration(ratings, limits) for uid, ratings in by_rater.items()}


def _pairs(ratings: list[GoldRating]) -> list[tuple[dict, dict]]:
    return [(r.items, r.gold.consensus_items) for r in ratings]


def _calibration(ratings: list[GoldRating], limits: Thresholds) -> Calibration:
    overall = agreement(_pairs(ratings))
    calibrated, reasons = calibration_status(overall, limits)
    recent = agreement(_pairs(ratings[-DRIFT_WINDOW:]))
    drifting = calibrated and len(ratings) > DRIFT_WINDOW and not calibration_status(
        recent, Thresholds(limits.icc, limits.within_one, limits.bias, 1))[0]
    return Calibration(overall, calibrated, reasons, drifting, ratings)


@dataclass
class GoldComparison:
    """The supervisors who rated one gold standard: each with the consensus, and each pair."""

    gold: GoldStandard
    names: dict[int, str]
    with_consensus: dict[int, Agreement]
    pairs: list[PairAgreement]


def supervisor_comparisons(rater_ids: list[int], organisation_id: int) -> list[GoldComparison]:
    """Every gold standard that two or more of these supervisors rated, oldest first: their
    agreement with each other, pair by pair, beside each one's with the consensus."""
    by_gold: dict[int, list[GoldRating]] = defaultdict(list)
    for rating in db.session.scalars(
            select(GoldRating).join(GoldStandard).where(
                GoldRating.rater_id.in_(rater_ids), GoldRating.organisation_id == organisation_id)
            .options(selectinload(GoldRating.gold), selectinload(GoldRating.rater))
            .order_by(GoldStandard.created_at, GoldStandard.id)):
        by_gold[rating.gold_id].append(rating)
    return [_comparison(ratings) for ratings in by_gold.values() if len(ratings) >= 2]


def _comparison(ratings: list[GoldRating]) -> GoldComparison:
    ratings = sorted(ratings, key=lambda r: (r.rater.name, r.rater_id))
    gold = ratings[0].gold
    return GoldComparison(
        gold=gold, names={r.rater_id: r.rater.name for r in ratings},
        with_consensus={r.rater_id: agreement([(r.items, gold.consensus_items)])
                        for r in ratings},
        pairs=pairwise_agreement({r.rater_id: r.items for r in ratings}))


def maybe_draw_second_rating(rater, rating, rng=None) -> DoubleRating | None:
    """With the organisation's share (default 15%), draw a summative rating's session for a
    blind second rating by another calibrated supervisor; nothing when none is calibrated."""
    rng = rng or secrets.SystemRandom()
    org_id = rating.organisation_id
    if rating.purpose != "summative" or db.session.scalar(select(DoubleRating.id).where(
            DoubleRating.session_id == rating.session_id)) is not None:
        return None
    if rng.random() >= settings_for(org_id).double_share:
        return None
    candidates = sorted(calibrated_rater_ids(org_id) - {rater.id})
    if not candidates:
        return None
    draw = DoubleRating(organisation_id=org_id, session_id=rating.session_id,
                        first_rating_id=rating.id, second_rater_id=rng.choice(candidates))
    db.session.add(draw)
    db.session.flush()
    notify(org_id, draw.second_rater_id, "second-rating",
           "A session was drawn for your blind second rating.",
           f"/calibration/second/{draw.id}")
    record(None, "rating.second_drawn", organisation_id=org_id, target=draw)
    return draw


def organisation_agreement(organisation_id: int) -> dict:
    """Agreement between first and second raters over every double-rated session."""
    from trainer.calibration.stats import item_disagreement

    done = list(db.session.scalars(select(DoubleRating).where(
        DoubleRating.organisation_id == organisation_id,
        DoubleRating.second_rating_id.is_not(None))))
    pairs = [(d.second_rating.items, d.first_rating.items) for d in done]
    by_item: dict[str, list[tuple[int, int]]] = {}
    for second, first in pairs:
        for key, value in second.items():
            if value is not None and first.get(key) is not None:
                by_item.setdefault(key, []).append((value, first[key]))
    return {"agreement": agreement(pairs), "done": done,
            "open": db.session.scalar(select(func.count(DoubleRating.id)).where(
                DoubleRating.organisation_id == organisation_id,
                DoubleRating.second_rating_id.is_(None))),
            "disagreement": item_disagreement(by_item)}
