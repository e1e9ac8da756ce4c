"""Rating state changes: drafts and submission, corrections, summative draws, follow-ups."""

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from trainer.audit.services import record
from trainer.cases.models import CaseSession, Recording, TrainingCase
from trainer.content.models import RatingScale
from trainer.dataversion import trainee_changed
from trainer.errors import Conflict, DomainError
from trainer.extensions import db
from trainer.notifications.services import notify
from trainer.orgs.queries import people_with_role
from trainer.supervision.models import HarmFollowUp, RatingComment, SessionRating, SummativeDraw
from trainer.supervision.scales import parse_timestamp, rating_result, validate_rating
from trainer.supervision.signals import rating_submitted
from trainer.timeutil import utcnow

DEFAULT_SCALE = "ipt-session-quality"
GROUP_SCALE = "group-ipt-session-quality"
SUPERVISOR_PURPOSES = ("formative", "summative")
CHOOSE_PURPOSE = "Choose formative or summative."
NOT_DRAWN = ("A summative rating is only possible on a session the platform drew for summative "
             "rating, and this one was not drawn: rate it formative.")


def scale_for(case: TrainingCase, scale_key: str | None = None) -> RatingScale:
    """The requested scale, or the case's default (the group scale for group IPT)."""
    key = scale_key or (GROUP_SCALE if case.variant == "group-IPT" else DEFAULT_SCALE)
    scale = db.session.scalar(select(RatingScale).where(RatingScale.key == key,
                                                        RatingScale.latest.is_(True)))
    if scale is None:
        raise DomainError(f"Unknown rating scale '{key}'.", field="scale_id")
    return scale


def open_draft(rater, session: CaseSession, purpose: str) -> SessionRating | None:
    """The rater's open draft of this session: their self-rating's for `self`, else their
    supervisor's draft whatever its purpose (the newest, should there be two)."""
    kinds = ("self",) if purpose == "self" else SUPERVISOR_PURPOSES
    return db.session.scalar(select(SessionRating).where(
        SessionRating.session_id == session.id, SessionRating.rater_id == rater.id,
        SessionRating.purpose.in_(kinds), SessionRating.status == "draft")
        .order_by(SessionRating.id.desc()).limit(1))


def new_draft(rater, session: CaseSession, purpose: str, scale: RatingScale) -> SessionRating:
    """A new, empty draft of this session and purpose."""
    draft = SessionRating(organisation_id=session.case.organisation_id, session=session,
                          rater=rater, scale=scale, purpose=purpose, status="draft", items={},
                          item_comments={})
    db.session.add(draft)
    return draft


def draft_rating(rater, session: CaseSession, purpose: str, scale: RatingScale) -> SessionRating:
    """The rater's open draft of this session, now of this purpose, or a new one."""
    draft = open_draft(rater, session, purpose)
    if draft is None:
        return new_draft(rater, session, purpose, scale)
    draft.purpose = purpose
    return draft


def blank_rating() -> SessionRating:
    """An empty rating that is never saved: what a rating page shows before a draft exists."""
    return SessionRating(items={}, item_comments={})


def save_draft(rating: SessionRating, data: dict) -> None:
    """Keep whatever the rater has entered so far (no validation: it is not final)."""
    rating.items = {k: v for k, v in (data.get("items") or {}).items()}
    rating.item_comments = {k: v for k, v in (data.get("item_comments") or {}).items() if v}
    rating.global_score = data.get("global")
    rating.harmful_practice = data.get("harmful_practice")
    rating.client_at_risk = data.get("client_at_risk")
    _set_comments(rating, data.get("comments") or [], strict=False)


def submit_rating(rater, rating: SessionRating, data: dict, *,
                  second_rating: bool = False) -> SessionRating:
    """Validate against the scale and the session's phase, score, and make it final."""
    if rating.status != "draft":
        raise Conflict("This rating is already submitted; submit a correction instead.")
    session, scale = rating.session, rating.scale.data
    flags = {"harmful_practice": data.get("harmful_practice"),
             "client_at_risk": data.get("client_at_risk")}
    items = _validated_items(rating, data, flags, second_rating)
    save_draft(rating, {**data, "items": items})
    _set_comments(rating, data.get("comments") or [], strict=True)
    rating.mean, rating.competent, rating.reasons = rating_result(
        scale, items, data["global"], bool(flags["harmful_practice"]))
    rating.status, rating.submitted_at = "submitted", utcnow()
    rating.drawn = is_drawn(session)
    db.session.flush()
    _after_submit(rater, rating)
    trainee_changed(rating.organisation_id, session.case.trainee_id)
    if not second_rating:
        rating_submitted.send(rater, rating=rating)
    return rating


def purpose_problems(session: CaseSession, purpose: str) -> dict[str, list[str]]:
    """Why a rating of the session may not have this purpose, as form errors (none: {})."""
    if purpose not in (*SUPERVISOR_PURPOSES, "self"):
        return {"purpose": [CHOOSE_PURPOSE]}
    if purpose == "summative" and not is_drawn(session):
        return {"purpose": [NOT_DRAWN]}
    return {}


def _validated_items(rating: SessionRating, data: dict, flags: dict,
                     second_rating: bool) -> dict[str, int | None]:
    # A blind second rating is summative because the platform drew it, whatever the draw.
    problems = {} if second_rating else purpose_problems(rating.session, rating.purpose)
    try:
        items = validate_rating(rating.scale.data, rating.session.phase, data.get("items"),
                                data.get("global"), flags)
    except DomainError as exc:
        raise DomainError(exc.message, fields={**problems, **exc.fields}) from None
    if problems:
        raise DomainError(problems["purpose"][0], fields=problems)
    return items


def _set_comments(rating: SessionRating, comments: list, strict: bool) -> None:
    parsed, problems = [], {}
    for index, comment in enumerate(comments):
        text = (comment.get("text") or "").strip() if isinstance(comment, dict) else ""
        try:
            seconds = parse_timestamp(str(comment.get("at", ""))) if text else None
        except ValueError as exc:
            problems[f"comments.{index}.at"] = [str(exc)]
            continue
        if text:
            parsed.append(RatingComment(at_seconds=seconds, text=text))
        elif strict and isinstance(comment, dict) and comment.get("at"):
            problems[f"comments.{index}.text"] = ["A time-stamped comment needs text."]
    if problems and strict:
        raise DomainError("Some time-stamped comments are invalid.", fields=problems)
    rating.comments = parsed


def _after_submit(rater, rating: SessionRating) -> None:
    case = rating.session.case
    record(rater, "rating.submitted", organisation_id=case.organisation_id, target=rating,
           case=case.client_code, session=rating.session.number, purpose=rating.purpose,
           mean=rating.mean, competent=rating.competent)
    admins = [a.id for a in people_with_role(case.organisation_id, "admin")]
    link = f"/supervision/ratings/{rating.id}"
    if rating.purpose != "self":
        notify(case.organisation_id, case.trainee_id, "rating",
               f"{rater.name} rated session {rating.session.number} of case "
               f"{case.client_code}.", link)
    if rating.harmful_practice and rating.purpose != "self":
        days = current_app.config["HARM_FOLLOW_UP_DAYS"]
        db.session.add(HarmFollowUp(rating_id=rating.id, organisation_id=case.organisation_id,
                                    due_at=utcnow() + timedelta(days=days)))
        for admin_id in admins:
            notify(case.organisation_id, admin_id, "harm",
                   f"Harmful practice flagged in case {case.client_code}, session "
                   f"{rating.session.number}; follow-up due within {days} days.", link)
    if rating.client_at_risk and rating.purpose != "self":
        for user_id in {case.trainee_id, *admins}:
            notify(case.organisation_id, user_id, "client-at-risk",
                   f"Client at risk in case {case.client_code}: {rating.client_at_risk}", link)


def correct_rating(rater, old: SessionRating, data: dict, reason: str) -> SessionRating:
    """A submitted rating is final: a correction is a new rating; the old one is kept."""
    if old.status != "submitted":
        raise Conflict("Only a submitted rating can be corrected.")
    if not reason.strip():
        raise DomainError("Say why the rating is corrected.", field="reason")
    new = SessionRating(organisation_id=old.organisation_id, session=old.session,
                        rater=rater, scale=old.scale, purpose=old.purpose,
                        status="draft", supersedes_id=old.id, correction_reason=reason.strip())
    db.session.add(new)
    db.session.flush()
    submit_rating(rater, new, data)
    old.status = "superseded"
    return new


def is_drawn(session: CaseSession) -> bool:
    """Whether the platform drew this session for summative rating."""
    return db.session.scalar(select(SummativeDraw.id).where(
        SummativeDraw.session_id == session.id)) is not None


def draw_sessions(actor, case: TrainingCase) -> list[CaseSession]:
    """Draw sessions with recordings at random for summative rating, across the phases;
    recorded once per case and never redrawn."""
    if db.session.scalar(select(SummativeDraw.id).where(SummativeDraw.case_id == case.id)):
        raise Conflict("Sessions were already drawn for this case.")
    candidates = list(db.session.scalars(
        select(CaseSession).join(Recording).where(
            CaseSession.case_id == case.id, Recording.hidden_at.is_(None))))
    count = current_app.config["SUMMATIVE_DRAW_COUNT"]
    if not candidates:
        raise Conflict("No session of this case has a recording to draw from yet.")
    chosen = pick_across_phases(candidates, count, secrets.SystemRandom())
    for session in chosen:
        db.session.add(SummativeDraw(case_id=case.id, session_id=session.id,
                                     drawn_by_id=getattr(actor, "id", None)))
    record(actor, "sessions.drawn", organisation_id=case.organisation_id, target=case,
           sessions=[s.number for s in chosen])
    trainee_changed(case.organisation_id, case.trainee_id)
    return chosen


def pick_across_phases(candidates: list, count: int, rng) -> list:
    """One random session per phase (initial, middle, termination first), then random ones."""
    pool, chosen = list(candidates), []
    for phase in ("initial", "middle", "termination", "pre-group", "maintenance"):
        in_phase = [s for s in pool if s.phase == phase]
        if in_phase and len(chosen) < count:
            pick = rng.choice(in_phase)
            chosen.append(pick)
            pool.remove(pick)
    while pool and len(chosen) < count:
        pick = rng.choice(pool)
        chosen.append(pick)
        pool.remove(pick)
    return sorted(chosen, key=lambda s: s.number)


def close_follow_up(supervisor, follow_up: HarmFollowUp, notes: str) -> None:
    """Record the conversation with the trainee and close the follow-up."""
    if not notes.strip():
        raise DomainError("Record what was discussed with the trainee.", field="notes")
    if follow_up.closed_at is not None:
        raise Conflict("This follow-up is already closed.")
    follow_up.conversation_notes, follow_up.closed_at = notes.strip(), utcnow()
    follow_up.closed_by_id = supervisor.id
    record(supervisor, "harm.follow_up_closed", organisation_id=follow_up.organisation_id,
           target=follow_up)
