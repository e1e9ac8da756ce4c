"""Home pages: each role lands on its own; people with several roles switch between them."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from trainer.certificates.models import Certificate
from trainer.certificates.services import renewable
from trainer.competency.overview import trainee_overview
from trainer.competency.supervisor import supervisor_rows
from trainer.extensions import db
from trainer.notifications.services import unread
from trainer.orgs import queries
from trainer.timeutil import utcnow
from trainer.web.context import (
    active_memberships,
    current_membership,
    home_endpoint,
    select_membership,
)
from trainer.web.guards import role_required
from trainer.web.transaction import keep_derived_data

bp = Blueprint("home", __name__, template_folder="templates")


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(home_endpoint()))


@bp.route("/trainee")
@role_required("trainee")
def trainee():
    membership = current_membership()
    org_id = membership.organisation_id
    now = utcnow()
    held = [c for c in db.session.scalars(select(Certificate).where(
        Certificate.trainee_id == current_user.id).order_by(Certificate.issued_at))
        if c.status(now) == "active"]
    overview = trainee_overview(current_user.id, org_id, with_steps=True)
    keep_derived_data()  # a view model built for this stamp is kept (trainer/viewcache.py)
    return render_template(
        "home/trainee.html", notifications=unread(current_user.id, org_id),
        certificates={c.pathway_key: c for c in held if c.organisation_id == org_id},
        expiring=[c for c in held if renewable(c, now)],
        **overview,
        supervisors=queries.supervisors_of(current_user.id, org_id),
        cohorts=queries.cohorts_of(current_user.id, org_id),
    )


@bp.route("/supervisor")
@role_required("supervisor")
def supervisor():
    org_id = current_membership().organisation_id
    trainees = queries.trainees_of(current_user.id, org_id)
    framework, rows = supervisor_rows(current_user.id, org_id, trainees)
    page = render_template("home/supervisor.html", notifications=unread(current_user.id, org_id),
                           trainees=trainees, rows=rows, framework=framework)
    keep_derived_data()  # the refreshed snapshots; after rendering, so nothing expires
    return page


@bp.route("/admin")
@role_required("admin")
def admin():
    org_id = current_membership().organisation_id
    return render_template("home/admin.html", counts=queries.role_counts(org_id),
                           notifications=unread(current_user.id, org_id),
                           cohorts=queries.cohorts(org_id))


@bp.route("/welcome")
@login_required
def no_role():
    if current_membership() is not None:
        return redirect(url_for(home_endpoint()))
    return render_template("home/no_role.html")


@bp.route("/switch", methods=["POST"])
@login_required
def switch():
    wanted = request.form.get("membership_id", type=int)
    membership = next((m for m in active_memberships(current_user) if m.id == wanted), None)
    if membership is None:
        abort(404)
    select_membership(membership)
    return redirect(url_for(home_endpoint()), code=303)
