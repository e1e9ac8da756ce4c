"""Supervision pages: the rating queue, the rating page, results, harm follow-ups."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.calibration.queries import waiting_second_ratings
from trainer.cases.guards import load_session
from trainer.cases.policy import can_edit_case, can_supervise_case, can_view_case
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.notifications.models import Notification
from trainer.supervision import queries, services
from trainer.supervision.models import HarmFollowUp, SessionRating
from trainer.supervision.ratingform import parse_rating_form
from trainer.supervision.scales import applicable_items, score_labels
from trainer.timeutil import utcnow
from trainer.web.context import current_membership
from trainer.web.forms import ActionForm, show_domain_error
from trainer.web.guards import authorise, role_required
from trainer.web.transaction import discard

bp = Blueprint("supervision", __name__, template_folder="templates",
               url_prefix="/supervision")
bp.add_app_template_global(score_labels)  # the rating, gold-standard and second-rating pages


@bp.route("/queue")
@role_required("supervisor")
def queue():
    org_id = current_membership().organisation_id
    return render_template("supervision/queue.html", items=queries.queue(current_user.id, org_id),
                           seconds=waiting_second_ratings(current_user.id, org_id))


def _may_rate(session, self_rating: bool) -> bool:
    if self_rating:
        return can_edit_case(current_user, session.case) or \
            current_user.id == session.case.trainee_id
    return can_supervise_case(current_user, session.case)


def _purpose(draft, self_rating: bool) -> str | None:
    """The Purpose field: as posted (None when it is none the rater may give); on a GET the
    link's choice, else the draft's."""
    if self_rating:
        return "self"
    if request.method == "POST":
        posted = request.form.get("purpose")
        return posted if posted in services.SUPERVISOR_PURPOSES else None
    asked = request.args.get("purpose")
    if asked in services.SUPERVISOR_PURPOSES:
        return asked
    return draft.purpose if draft is not None else "formative"



@bp.route("/sessions/<int:session_id>/rate", methods=["GET", "POST"])
@role_required("trainee", "supervisor")
def rate(session_id: int):
    session = load_session(session_id)
    self_rating = current_membership().role == "trainee"
    authorise(_may_rate(session, self_rating))
    draft = services.open_draft(current_user, session, "self" if self_rating else "formative")
    purpose = _purpose(draft, self_rating)
    scale = draft.scale if draft is not None else services.scale_for(session.case)
    errors = {}
    if request.method == "POST" and ActionForm().validate_on_submit():
        data = parse_rating_form(request.form, scale.data, session.phase)
        draft, errors = _save(session, scale, purpose, data, draft)
        if draft is not None and draft.status == "submitted":
            return redirect(url_for("supervision.rating", rating_id=draft.id), code=303)
        if not errors:
            flash("Draft saved. Nothing is final until you submit.", "success")
    return render_template("supervision/rate.html", session=session, case=session.case,
                           rating=draft or services.blank_rating(), scale=scale.data,
                           purpose=purpose or "",
                           items=applicable_items(scale.data, session.phase), errors=errors,
                           form=ActionForm(), drawn=services.is_drawn(session))


def _save(session, scale, purpose: str | None, data: dict, draft) -> tuple:
    """Keep what was typed in the draft and submit it when asked: the rating and the form's
    errors. No purpose (none the rater may give) changes nothing."""
    if purpose is None:
        return draft, {"purpose": [services.CHOOSE_PURPOSE]}
    rating, errors = services.draft_rating(current_user, session, purpose, scale), {}
    services.save_draft(rating, data)
    if request.form.get("action") == "submit":
        try:
            with db.session.begin_nested():
                services.submit_rating(current_user, rating, data)
        except DomainError as exc:
            errors = exc.fields or {"purpose": [exc.message]}
    return rating, errors


@bp.route("/ratings/<int:rating_id>")
@role_required("trainee", "supervisor", "admin")
def rating(rating_id: int):
    rating = db.session.get(SessionRating, rating_id)
    if rating is None or rating.status == "draft" or \
            not can_view_case(current_user, rating.session.case):
        abort(404)
    others = queries.ratings_by_session([rating.session_id]).get(rating.session_id, [])
    self_rating = next((r for r in others if r.purpose == "self" and r.status == "submitted"),
                       None)
    from trainer.calibration.status import calibrated_rater_ids

    calibrated = rating.rater_id in calibrated_rater_ids(rating.organisation_id)
    return render_template("supervision/rating.html", rating=rating, session=rating.session,
                           calibrated=calibrated,
                           case=rating.session.case, scale=rating.scale.data,
                           items=applicable_items(rating.scale.data, rating.session.phase),
                           self_rating=self_rating if rating.purpose != "self" else None)


@bp.route("/ratings/<int:rating_id>/correct", methods=["GET", "POST"])
@role_required("trainee", "supervisor")
def correct(rating_id: int):
    old = db.session.get(SessionRating, rating_id)
    if old is None or not can_view_case(current_user, old.session.case):
        abort(404)
    authorise(old.rater_id == current_user.id and old.status == "submitted")
    errors, data = {}, None
    if request.method == "POST" and ActionForm().validate_on_submit():
        data = parse_rating_form(request.form, old.scale.data, old.session.phase)
        try:
            new = services.correct_rating(current_user, old, data,
                                          request.form.get("reason", ""))
        except DomainError as exc:
            discard()
            errors = exc.fields or {"reason": [exc.message]}
        else:
            return redirect(url_for("supervision.rating", rating_id=new.id), code=303)
    return render_template("supervision/rate.html", session=old.session, case=old.session.case,
                           rating=old, scale=old.scale.data, purpose=old.purpose,
                           items=applicable_items(old.scale.data, old.session.phase),
                           errors=errors, form=ActionForm(), correcting=old,
                           drawn=services.is_drawn(old.session))


@bp.route("/follow-ups", methods=["GET"])
@role_required("supervisor", "admin")
def follow_ups():
    return render_template("supervision/follow_ups.html", form=ActionForm(), now=utcnow(),
                           items=queries.open_follow_ups(current_membership().organisation_id))


@bp.route("/follow-ups/<int:follow_up_id>/close", methods=["POST"])
@role_required("supervisor")
def close_follow_up(follow_up_id: int):
    follow_up = db.session.get(HarmFollowUp, follow_up_id)
    if follow_up is None or follow_up.organisation_id != current_membership().organisation_id:
        abort(404)
    authorise(can_supervise_case(current_user, follow_up.rating.session.case))
    if ActionForm().validate_on_submit():
        try:
            services.close_follow_up(current_user, follow_up, request.form.get("notes", ""))
        except DomainError as exc:
            show_domain_error(None, exc)
        else:
            flash("Follow-up closed.", "success")
    return redirect(url_for("supervision.follow_ups"), code=303)


@bp.route("/notifications/<int:notification_id>/dismiss", methods=["POST"])
@role_required("trainee", "supervisor", "admin")
def dismiss(notification_id: int):
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    if ActionForm().validate_on_submit():
        note.read_at = utcnow()
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url)
                    else url_for("home.index"), code=303)


@bp.route("/text-answers")
@role_required("supervisor")
def text_answers():
    return render_template("supervision/text_answers.html", attempts=queries.text_answer_queue(
        current_user.id, current_membership().organisation_id))


@bp.route("/text-answers/<int:attempt_id>", methods=["GET", "POST"])
@role_required("supervisor")
def rate_text(attempt_id: int):
    from trainer.vignettes.models import VignetteAttempt
    from trainer.vignettes.services import rate_text_stages, unrated_text_stages

    attempt = db.session.get(VignetteAttempt, attempt_id)
    if attempt is None or attempt.organisation_id != current_membership().organisation_id \
            or not _supervises(attempt.user_id, attempt.organisation_id):
        abort(404)
    stages = unrated_text_stages(attempt)
    errors = {}
    if request.method == "POST" and ActionForm().validate_on_submit():
        levels = {s["id"]: int(request.form[f"level-{s['id']}"]) for s in stages
                  if request.form.get(f"level-{s['id']}", "").isdigit()}
        missing = [s["id"] for s in stages if s["id"] not in levels]
        try:
            if missing:
                raise DomainError("Pick a level for every answer.",
                                  fields={f"text_levels.{m}": ["Pick a level."] for m in missing})
            rate_text_stages(current_user, attempt, levels)
        except DomainError as exc:
            discard()
            errors = exc.fields
        else:
            flash("Rated: the trainee sees the result now.", "success")
            return redirect(url_for("supervision.text_answers"), code=303)
    return render_template("supervision/rate_text.html", attempt=attempt, stages=stages,
                           errors=errors, form=ActionForm())


def _supervises(trainee_id: int, organisation_id: int) -> bool:
    from trainer.orgs.queries import supervisors_of

    return current_user.id in {s.id for s in supervisors_of(trainee_id, organisation_id)}
