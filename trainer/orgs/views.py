"""Organisation admin pages: people, invitations, cohorts, supervision, the audit log."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from trainer.auth.models import User
from trainer.auth.twofactor import set_required
from trainer.calibration.models import GoldRating, GoldStandard
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.orgs import queries, services
from trainer.orgs.forms import (
    AssignForm,
    CohortForm,
    CohortMemberForm,
    InviteForm,
    OrganisationForm,
    person_choices,
)
from trainer.orgs.models import Cohort, Invitation, Membership, Organisation, SupervisorAssignment
from trainer.timeutil import utcnow
from trainer.web.context import current_membership
from trainer.web.converters import db_int
from trainer.web.forms import ActionForm, show_domain_error
from trainer.web.guards import load_or_404, platform_admin_required, role_required

bp = Blueprint("orgs", __name__, template_folder="templates", url_prefix="/org")


def _org() -> Organisation:
    return current_membership().organisation


@bp.route("/people", methods=["GET", "POST"])
@role_required("admin")
def members():
    org = _org()
    form = InviteForm()
    link = None
    if form.validate_on_submit():
        try:
            token, _ = services.create_invitation(current_user, org, form.email.data,
                                                  form.role.data, form.name.data or "")
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            link = url_for("auth.accept", token=token, _external=True)
            form = InviteForm(formdata=None)
    return render_template("orgs/members.html", form=form, link=link, action=ActionForm(),
                           members=queries.members(org.id),
                           invitations=queries.open_invitations(org.id, utcnow()))


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@role_required("admin")
def revoke_invitation(invitation_id: int):
    invitation = load_or_404(Invitation, invitation_id, organisation_id=_org().id)
    if ActionForm().validate_on_submit():
        services.revoke_invitation(current_user, invitation)
        flash(f"The invitation for {invitation.email} was withdrawn.", "success")
    return redirect(url_for("orgs.members"), code=303)


@bp.route("/memberships/<int:membership_id>/<any(activate, deactivate):action>",
          methods=["POST"])
@role_required("admin")
def set_active(membership_id: int, action: str):
    membership = load_or_404(Membership, membership_id, organisation_id=_org().id)
    if ActionForm().validate_on_submit():
        try:
            services.set_membership_active(current_user, membership, action == "activate")
        except DomainError as exc:
            show_domain_error(None, exc)
        else:
            flash(f"{membership.user.name} ({membership.role}) was {action}d.", "success")
    return redirect(url_for("orgs.members"), code=303)


@bp.route("/cohorts", methods=["GET", "POST"])
@role_required("admin")
def cohorts():
    org = _org()
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(current_user, org, form.name.data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            return redirect(url_for("orgs.cohort", cohort_id=cohort.id), code=303)
    return render_template("orgs/cohorts.html", form=form, cohorts=queries.cohorts(org.id))


@bp.route("/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@role_required("admin")
def cohort(cohort_id: int):
    org = _org()
    cohort = load_or_404(Cohort, cohort_id, organisation_id=org.id)
    form = CohortMemberForm()
    trainees = queries.people_with_role(org.id, "trainee")
    form.trainee.choices = person_choices(trainees)
    if form.validate_on_submit():
        trainee = db.session.get(User, form.trainee.data)
        services.add_to_cohort(current_user, cohort, trainee)
        flash(f"{trainee.name} was added to {cohort.name}.", "success")
        return redirect(url_for("orgs.cohort", cohort_id=cohort.id), code=303)
    return render_template("orgs/cohort.html", cohort=cohort, form=form, action=ActionForm(),
                           members=queries.cohort_members(cohort.id))


@bp.route("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", methods=["POST"])
@role_required("admin")
def remove_cohort_member(cohort_id: int, user_id: int):
    cohort = load_or_404(Cohort, cohort_id, organisation_id=_org().id)
    if ActionForm().validate_on_submit():
        services.remove_from_cohort(current_user, cohort, user_id)
    return redirect(url_for("orgs.cohort", cohort_id=cohort.id), code=303)


@bp.route("/supervision", methods=["GET", "POST"])
@role_required("admin")
def assignments():
    org = _org()
    form = AssignForm()
    supervisors = queries.people_with_role(org.id, "supervisor")
    trainees = queries.people_with_role(org.id, "trainee")
    form.supervisor.choices = person_choices(supervisors)
    form.trainee.choices = person_choices(trainees)
    if form.validate_on_submit():
        supervisor = db.session.get(User, form.supervisor.data)
        trainee = db.session.get(User, form.trainee.data)
        try:
            services.assign_supervisor(current_user, org, supervisor, trainee)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(f"{supervisor.name} now supervises {trainee.name}.", "success")
            return redirect(url_for("orgs.assignments"), code=303)
    return render_template("orgs/assignments.html", form=form, action=ActionForm(),
                           assignments=queries.assignments(org.id))


@bp.route("/supervision/<int:assignment_id>/remove", methods=["POST"])
@role_required("admin")
def remove_assignment(assignment_id: int):
    assignment = load_or_404(SupervisorAssignment, assignment_id, organisation_id=_org().id)
    if ActionForm().validate_on_submit():
        services.remove_assignment(current_user, assignment)
        flash("The assignment was removed.", "success")
    return redirect(url_for("orgs.assignments"), code=303)


@bp.route("/audit")
@role_required("admin")
def audit():
    page = max(request.args.get("page", 1, type=db_int), 1)
    per_page = 50
    entries, total = queries.audit_page(_org().id, page, per_page)
    return render_template("orgs/audit.html", entries=entries, page=page, total=total,
                           pages=max((total + per_page - 1) // per_page, 1))


@bp.route("/platform", methods=["GET", "POST"])
@platform_admin_required
def platform():
    form = OrganisationForm()
    link = None
    if form.validate_on_submit():
        try:
            org = services.create_organisation(current_user, form.slug.data, form.name.data)
            token, _ = services.create_invitation(current_user, org, form.admin_email.data,
                                                  "admin")
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(f"The organisation {org.name} was created.", "success")
            link = url_for("auth.accept", token=token, _external=True)
            form = OrganisationForm(formdata=None)
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name))
    return render_template("orgs/platform.html", form=form, link=link,
                           organisations=list(organisations), golds=platform_golds())


def platform_golds() -> list:
    """Platform-wide gold standards with how many supervisors (in every organisation) have
    rated each, in one query."""
    ratings = select(GoldRating.gold_id, func.count(GoldRating.id).label("n")).group_by(
        GoldRating.gold_id).subquery()
    return list(db.session.execute(
        select(GoldStandard.id, GoldStandard.title, GoldStandard.phase, GoldStandard.created_at,
               func.coalesce(ratings.c.n, 0).label("ratings"))
        .outerjoin(ratings, ratings.c.gold_id == GoldStandard.id)
        .where(GoldStandard.organisation_id.is_(None)).order_by(GoldStandard.created_at)))


@bp.route("/two-factor", methods=["POST"])
@role_required("admin")
def two_factor():
    """Require (or stop requiring) a second factor for the organisation's staff."""
    required = request.form.get("required") == "1"
    set_required(current_user, _org(), required)
    flash("Supervisors and admins must now sign in with a code from an authenticator app."
          if required else "Two-factor sign-in is now optional.", "success")
    return redirect(url_for("home.admin"), code=303)
