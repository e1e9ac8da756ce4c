"""Gold-standard recordings, blind ratings of them and each supervisor's calibration."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from trainer.audit.services import record
from trainer.calibration.models import CalibrationSettings, GoldRating, GoldStandard
from trainer.calibration.stats import Agreement, Thresholds, agreement, calibration_status
from trainer.cases.recordings import save_upload
from trainer.content.models import RatingScale
from trainer.errors import Conflict, DomainError
from trainer.extensions import db
from trainer.supervision.scales import validate_rating
from trainer.timeutil import utcnow

DEFAULT_SCALE = "ipt-session-quality"
DRIFT_WINDOW = 3  # the most recent gold-standard ratings watched for drift


def settings_for(organisation_id: int) -> CalibrationSettings:
    """The organisation's thresholds (defaults when none were set)."""
    found = db.session.get(CalibrationSettings, organisation_id)
    return found or CalibrationSettings(organisation_id=organisation_id, icc=0.70,
                                        within_one=0.80, bias=0.5, min_recordings=3,
                                        lapse_months=12)


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
