"""Read-only lookups for ratings, the supervisor's queue and follow-ups (fixed queries)."""

from collections import defaultdict

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from trainer.cases.models import CaseSession, Recording, TrainingCase
from trainer.extensions import db
from trainer.orgs.models import SupervisorAssignment
from trainer.supervision.models import HarmFollowUp, SessionRating, SummativeDraw


def ratings_by_session(session_ids: list[int]) -> dict[int, list[SessionRating]]:
    """Submitted and superseded ratings per session, newest first."""
    grouped: dict[int, list[SessionRating]] = defaultdict(list)
    if not session_ids:
        return grouped
    for rating in db.session.scalars(
            select(SessionRating).where(SessionRating.session_id.in_(session_ids),
                                        SessionRating.status != "draft")
            .options(joinedload(SessionRating.rater))
            .order_by(SessionRating.submitted_at.desc())):
        grouped[rating.session_id].append(rating)
    return grouped


def drawn_session_ids(case_id: int) -> set[int]:
    """Sessions of the case drawn for summative rating."""
    return set(db.session.scalars(select(SummativeDraw.session_id)
                                  .where(SummativeDraw.case_id == case_id)))


def queue(supervisor_id: int, organisation_id: int) -> list[tuple[CaseSession, bool]]:
    """Playable recordings of the supervisor's trainees not yet rated by them (a drawn
    session stays until they submit its summative rating): drawn sessions first, then
    oldest upload first."""
    trainees = select(SupervisorAssignment.trainee_id).where(
        SupervisorAssignment.supervisor_id == supervisor_id,
        SupervisorAssignment.organisation_id == organisation_id)
    drawn = exists().where(SummativeDraw.session_id == CaseSession.id)
    rating_drawn = exists().where(SummativeDraw.session_id == SessionRating.session_id)
    rated = exists().where(and_(SessionRating.session_id == CaseSession.id,
                                SessionRating.rater_id == supervisor_id,
                                SessionRating.status == "submitted",
                                or_(~rating_drawn, SessionRating.purpose == "summative")))
    rows = db.session.execute(
        select(CaseSession, drawn.label("drawn"))
        .join(Recording, Recording.session_id == CaseSession.id)
        .join(TrainingCase, TrainingCase.id == CaseSession.case_id)
        .where(TrainingCase.organisation_id == organisation_id,
               TrainingCase.trainee_id.in_(trainees), Recording.hidden_at.is_(None),
               Recording.deleted_at.is_(None), ~rated)
        .options(selectinload(CaseSession.case).selectinload(TrainingCase.trainee),
                 selectinload(CaseSession.recording))
        .order_by(drawn.desc(), Recording.uploaded_at))
    return [(session, bool(is_drawn)) for session, is_drawn in rows]


def open_follow_ups(organisation_id: int) -> list[HarmFollowUp]:
    """Harm follow-ups of the organisation, open ones first, then by deadline."""
    return list(db.session.scalars(
        select(HarmFollowUp).where(HarmFollowUp.organisation_id == organisation_id)
        .options(selectinload(HarmFollowUp.rating).selectinload(SessionRating.session)
                 .selectinload(CaseSession.case))
        .order_by(HarmFollowUp.closed_at.is_not(None), HarmFollowUp.due_at)))


def text_answer_queue(supervisor_id: int, organisation_id: int):
    """Pending vignette attempts of the supervisor's trainees, oldest first."""
    from trainer.vignettes.models import VignetteAttempt

    trainees = select(SupervisorAssignment.trainee_id).where(
        SupervisorAssignment.supervisor_id == supervisor_id,
        SupervisorAssignment.organisation_id == organisation_id)
    return list(db.session.scalars(
        select(VignetteAttempt).where(VignetteAttempt.organisation_id == organisation_id,
                                      VignetteAttempt.user_id.in_(trainees),
                                      VignetteAttempt.status == "pending")
        .options(selectinload(VignetteAttempt.vignette), selectinload(VignetteAttempt.user))
        .order_by(VignetteAttempt.submitted_at)))
