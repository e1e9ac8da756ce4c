"""Competency pages: a trainee's profile, the cohort heatmap, CSV export, pathways."""

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from trainer.auth.models import User
from trainer.certificates.models import Certificate
from trainer.competency import queries, services
from trainer.competency.cohort import cohort_page, cohort_view
from trainer.competency.overview import trainee_overview
from trainer.competency.snapshots import cached_profiles
from trainer.curriculum.policy import can_view_progress
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.orgs.models import Cohort, CohortMember
from trainer.orgs.queries import people_with_role
from trainer.timeutil import utcnow
from trainer.web.context import current_membership
from trainer.web.forms import ActionForm, show_domain_error
from trainer.web.guards import role_required
from trainer.web.transaction import keep_derived_data

bp = Blueprint("competency", __name__, template_folder="templates", url_prefix="/competency")


@bp.route("/trainees/<int:user_id>")
@role_required("supervisor", "admin")
def trainee(user_id: int):
    org_id = current_membership().organisation_id
    person = db.session.get(User, user_id)
    if person is None or not any(m.organisation_id == org_id and m.role == "trainee"
                                 for m in person.memberships) \
            or not can_view_progress(current_user, person, org_id):
        abort(404)
    now = utcnow()
    held = {c.pathway_key: c for c in db.session.scalars(select(Certificate).where(
        Certificate.organisation_id == org_id, Certificate.trainee_id == person.id)
        .order_by(Certificate.issued_at)) if c.status(now) == "active"}
    overview = trainee_overview(person.id, org_id, with_steps=False)
    keep_derived_data()  # a view model built for this stamp is kept (trainer/viewcache.py)
    return render_template("competency/trainee.html", trainee=person, certificates=held,
                           can_issue=current_membership().role == "admin", **overview)


def cohort_trainees(org_id: int, cohort_id: int | None) -> list[User]:
    """The organisation's trainees, or one cohort's."""
    trainees = people_with_role(org_id, "trainee")
    if cohort_id:
        members = set(db.session.scalars(select(CohortMember.user_id).where(
            CohortMember.cohort_id == cohort_id)))
        trainees = [t for t in trainees if t.id in members]
    return trainees


def cohort_table(org_id: int, trainees: list[User]):
    """Levels per trainee and competency, and each pathway's checklists, for the cohort."""
    framework = queries.framework() or {"competencies": [], "levels": []}
    ids = [t.id for t in trainees]
    profiles = cached_profiles(ids, org_id)
    pathways = services.offered_pathways(org_id)
    checklists = services.checklists(ids, org_id, pathways, profiles)
    return framework, profiles, pathways, checklists


@bp.route("/cohort")
@role_required("admin")
def cohort():
    org_id = current_membership().organisation_id
    cohorts = list(db.session.scalars(select(Cohort).where(Cohort.organisation_id == org_id)
                                      .order_by(Cohort.name)))
    cohort_id = _cohort_id_or_404(cohorts)
    view = cohort_view(org_id, cohort_id)
    keep_derived_data()  # refreshed snapshots and the view model built for this stamp
    return render_template("competency/cohort.html", cohorts=cohorts, cohort_id=cohort_id,
                           **view, **cohort_page(view, request.args.get("page", 1, type=int)))


def _cohort_id_or_404(cohorts) -> int | None:
    """The `cohort` asked for, when it is one of the caller's organisation's (404 for any
    other id: the page and the CSV answer alike)."""
    cohort_id = request.args.get("cohort", type=int)
    if cohort_id and cohort_id not in {c.id for c in cohorts}:
        abort(404)
    return cohort_id


def safe_cell(text: str) -> str:
    """A cell a spreadsheet will not read as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.route("/cohort.csv")
@role_required("admin")
def cohort_csv():
    org_id = current_membership().organisation_id
    cohort_id = _cohort_id_or_404(db.session.scalars(
        select(Cohort).where(Cohort.organisation_id == org_id)))
    trainees = cohort_trainees(org_id, cohort_id)
    framework, profiles, pathways, checklists = cohort_table(org_id, trainees)
    out = io.StringIO()
    writer = csv.writer(out)
    requirement_ids = [(p.key, r.id) for i, p in enumerate(pathways)
                       for r in (checklists[trainees[0].id][i].result.requirements
                                 if trainees else [])]
    writer.writerow(["name", "email", *[f"level:{c['id']}" for c in framework["competencies"]],
                     *[f"eligible:{p.key}" for p in pathways],
                     *[f"{key}:{rid}" for key, rid in requirement_ids]])
    for person in trainees:
        lists = checklists[person.id]
        writer.writerow([safe_cell(person.name), safe_cell(person.email),
                         *[e.level for e in profiles.get(person.id, [])],
                         *["yes" if c.result.eligible else "no" for c in lists],
                         *["met" if r.met else "not met" for c in lists
                           for r in c.result.requirements]])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=cohort-progress.csv"})


@bp.route("/pathways", methods=["GET", "POST"])
@role_required("admin")
def pathways():
    org_id = current_membership().organisation_id
    if request.method == "POST" and ActionForm().validate_on_submit():
        try:
            services.set_offered_pathways(current_user, org_id, request.form.getlist("pathway"))
        except DomainError as exc:
            show_domain_error(None, exc)
        else:
            flash("The offered pathways were saved.", "success")
            return redirect(url_for("competency.pathways"), code=303)
    offered = {p.key for p in services.offered_pathways(org_id)}
    return render_template("competency/pathways.html", loaded=queries.pathways(),
                           offered=offered, form=ActionForm())


@bp.route("/xapi")
@role_required("admin")
def xapi():
    from trainer.xapi.export import date_range, statements
    from trainer.xapi.statements import to_json_lines

    if "since" not in request.args:
        return render_template("competency/xapi.html")
    try:
        since, until = date_range(request.args.get("since") or None,
                                  request.args.get("until") or None, utcnow().date())
    except DomainError as exc:
        flash(exc.message, "error")
        return render_template("competency/xapi.html"), 422
    org = current_membership().organisation
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    name = f"xapi-{org.slug}-{since.date()}-{until.date()}.jsonl"
    return Response(to_json_lines(statements(org, since, until, base)),
                    mimetype="application/x-ndjson",
                    headers={"Content-Disposition": f"attachment; filename={name}"})
