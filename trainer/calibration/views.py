"""Calibration pages: gold standards, blind rating, item-by-item comparison, status."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from trainer.calibration import queries, services
from trainer.calibration.models import (
    DoubleRating,
    GoldRating,
    GoldStandard,
)
from trainer.calibration.stats import bland_altman
from trainer.cases.models import PHASES
from trainer.cases.recordings import path_of, storage_folder
from trainer.charts.figures import rater_agreement
from trainer.content.models import RatingScale
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.orgs.queries import people_with_role
from trainer.supervision import services as ratings
from trainer.supervision.ratingform import parse_rating_form
from trainer.supervision.scales import applicable_items
from trainer.web.context import current_membership
from trainer.web.forms import ActionForm
from trainer.web.guards import platform_admin_required, role_required
from trainer.web.transaction import discard

bp = Blueprint("calibration", __name__, template_folder="templates", url_prefix="/calibration")


def _org_id() -> int:
    return current_membership().organisation_id


def load_gold(gold_id: int) -> GoldStandard:
    """A gold standard of the caller's organisation (or platform-wide), else 404."""
    gold = db.session.get(GoldStandard, gold_id)
    if gold is None or gold.organisation_id not in (None, _org_id()):
        abort(404)
    return gold


@bp.route("/")
@role_required("supervisor", "admin")
def index():
    org_id = _org_id()
    golds = services.golds_for(org_id)
    if current_membership().role == "supervisor":
        mine = services.calibrations([current_user.id], org_id)[current_user.id]
        rated = {r.gold_id for r in mine.ratings}
        return render_template("calibration/supervisor.html", golds=golds, rated=rated,
                               seconds=queries.waiting_second_ratings(current_user.id, org_id),
                               calibration=mine, settings=services.settings_for(org_id))
    supervisors = people_with_role(org_id, "supervisor")
    standings = services.calibrations([s.id for s in supervisors], org_id)
    settings = services.settings_for(org_id)
    figure = rater_agreement([s.name for s in supervisors],
                             [standings[s.id].agreement.icc for s in supervisors],
                             [standings[s.id].agreement.within_one for s in supervisors],
                             settings.icc, settings.within_one)
    return render_template("calibration/admin.html", golds=golds, supervisors=supervisors,
                           calibrations=standings, figure=figure,
                           settings=services.settings_for(org_id), form=ActionForm(),
                           double=services.organisation_agreement(org_id),
                           comparisons=services.supervisor_comparisons(
                               [s.id for s in supervisors], org_id))


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def new():
    return _new_gold(_org_id(), "calibration.index")


@bp.route("/platform/new", methods=["GET", "POST"])
@platform_admin_required
def platform_new():
    """Platform admins add gold standards that every organisation's supervisors rate."""
    return _new_gold(None, "orgs.platform")


def _new_gold(organisation_id: int | None, done_endpoint: str):
    phase = request.values.get("phase", "middle")
    if phase not in PHASES:
        abort(404)
    scale = db.session.scalar(db.select(RatingScale).where(
        RatingScale.key == services.DEFAULT_SCALE, RatingScale.latest.is_(True))) or abort(404)
    errors = {}
    if request.method == "POST" and ActionForm().validate_on_submit():
        data = {**parse_rating_form(request.form, scale.data, phase), "phase": phase,
                "title": request.form.get("title", ""),
                "teaching_consent": request.form.get("teaching_consent") == "1"}
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise DomainError("Choose the recording file.", field="file")
            services.create_gold(current_user, organisation_id, data, upload.stream)
        except DomainError as exc:
            discard()
            errors = exc.fields or {"file": [exc.message]}
        else:
            flash("Gold-standard recording added.", "success")
            return redirect(url_for(done_endpoint), code=303)
    return render_template("calibration/new.html", phase=phase, phases=PHASES,
                           scale=scale.data, items=applicable_items(scale.data, phase),
                           errors=errors, form=ActionForm())


@bp.route("/gold/<int:gold_id>/recording")
@role_required("supervisor", "admin")
def recording(gold_id: int):
    gold = load_gold(gold_id)
    response = send_file(storage_folder() / gold.storage_name, mimetype=gold.content_type,
                         conditional=True, etag=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/gold/<int:gold_id>/rate", methods=["GET", "POST"])
@role_required("supervisor")
def rate(gold_id: int):
    gold = load_gold(gold_id)
    if _my_rating(gold) is not None:
        return redirect(url_for("calibration.result", gold_id=gold.id))
    errors = {}
    if request.method == "POST" and ActionForm().validate_on_submit():
        data = parse_rating_form(request.form, gold.scale.data, gold.phase)
        try:
            services.rate_gold(current_user, _org_id(), gold, data["items"], data["global"])
        except DomainError as exc:
            discard()
            errors = exc.fields or {"global": [exc.message]}
        else:
            return redirect(url_for("calibration.result", gold_id=gold.id), code=303)
    return render_template("calibration/rate.html", gold=gold, scale=gold.scale.data,
                           items=applicable_items(gold.scale.data, gold.phase), errors=errors,
                           form=ActionForm())


def _my_rating(gold: GoldStandard) -> GoldRating | None:
    return db.session.scalar(db.select(GoldRating).where(GoldRating.gold_id == gold.id,
                                                         GoldRating.rater_id == current_user.id))


@bp.route("/gold/<int:gold_id>/result")
@role_required("supervisor")
def result(gold_id: int):
    gold = load_gold(gold_id)
    mine = _my_rating(gold)
    if mine is None:  # blind until rated: the consensus is never shown before
        return redirect(url_for("calibration.rate", gold_id=gold.id))
    standing = services.calibrations([current_user.id], _org_id())[current_user.id]
    pairs = [(r.items[k], r.gold.consensus_items[k]) for r in standing.ratings
             for k in r.items if r.items[k] is not None
             and r.gold.consensus_items.get(k) is not None]
    return render_template("calibration/result.html", gold=gold, mine=mine,
                           items=applicable_items(gold.scale.data, gold.phase),
                           calibration=standing, settings=services.settings_for(_org_id()),
                           figure=_bland_altman_figure(pairs))


def _bland_altman_figure(pairs) -> dict | None:
    summary = bland_altman(pairs)
    if not pairs or summary.get("mean_difference") is None:
        return None
    lines = [summary["mean_difference"], summary.get("lower_limit"), summary.get("upper_limit")]
    return {"data": [{"type": "scatter", "mode": "markers", "x": summary["means"],
                      "y": summary["differences"], "name": "Items",
                      "marker": {"color": "#0b5cad", "size": 9, "opacity": 0.6}}],
            "layout": {"height": 320, "margin": {"l": 50, "r": 20, "t": 20, "b": 50},
                       "xaxis": {"title": {"text": "Mean of you and the consensus"}},
                       "yaxis": {"title": {"text": "You minus the consensus"}},
                       "shapes": [{"type": "line", "xref": "paper", "x0": 0, "x1": 1,
                                   "y0": y, "y1": y, "line": {"dash": "dash", "color": "#8a5300"}}
                                  for y in lines if y is not None]}}


@bp.route("/settings", methods=["POST"])
@role_required("admin")
def settings():
    org_id = _org_id()
    if ActionForm().validate_on_submit():
        try:
            values = {k: float(request.form[k]) for k in ("icc", "within_one", "bias")}
            values["double_share"] = float(request.form.get("double_share", 0.15))
            counts = {k: int(request.form[k]) for k in ("min_recordings", "lapse_months")}
        except (KeyError, ValueError):
            flash("Give numbers for every threshold.", "error")
            return redirect(url_for("calibration.index"), code=303)
        if not (0 < values["icc"] <= 1 and 0 < values["within_one"] <= 1 and values["bias"] >= 0
                and 0 <= values["double_share"] <= 1
                and counts["min_recordings"] >= 1 and counts["lapse_months"] >= 1):
            flash("ICC and within-one are between 0 and 1; bias, recordings and months are "
                  "positive.", "error")
            return redirect(url_for("calibration.index"), code=303)
        services.save_settings(org_id, {**values, **counts})
        flash("Calibration thresholds saved.", "success")
    return redirect(url_for("calibration.index"), code=303)


def load_second(draw_id: int):
    """A second rating drawn for the caller, else 404."""
    draw = db.session.get(DoubleRating, draw_id)
    if draw is None or draw.organisation_id != _org_id() \
            or draw.second_rater_id != current_user.id:
        abort(404)
    return draw


@bp.route("/second/<int:draw_id>", methods=["GET", "POST"])
@role_required("supervisor")
def second(draw_id: int):
    draw = load_second(draw_id)
    scale = draw.first_rating.scale
    if draw.second_rating_id is not None:
        flash("You have rated this session; thank you.", "success")
        return redirect(url_for("calibration.index"))
    errors = {}
    if request.method == "POST" and ActionForm().validate_on_submit():
        data = parse_rating_form(request.form, scale.data, draw.session.phase)
        rating = ratings.new_draft(current_user, draw.session, "summative", scale)
        try:
            ratings.submit_rating(current_user, rating, data, second_rating=True)
        except DomainError as exc:
            discard()
            errors = exc.fields or {"global": [exc.message]}
        else:
            draw.second_rating_id = rating.id
            flash("Second rating saved.", "success")
            return redirect(url_for("calibration.index"), code=303)
    return render_template("calibration/second.html", draw=draw, scale=scale.data,
                           items=applicable_items(scale.data, draw.session.phase),
                           errors=errors, form=ActionForm())


@bp.route("/second/<int:draw_id>/recording")
@role_required("supervisor")
def second_recording(draw_id: int):
    draw = load_second(draw_id)
    item = draw.session.recording
    if item is None or not item.playable:
        abort(404)
    response = send_file(path_of(item), mimetype=item.content_type, conditional=True,
                         etag=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
