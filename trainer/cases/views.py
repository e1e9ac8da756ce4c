"""Case record pages: list, registration, the record, sessions, recordings, meetings."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.cases import queries, recordings, services
from trainer.cases.figures import closeness_circle
from trainer.cases.forms import (
    CaseForm,
    ConsentForm,
    FormulationForm,
    GroupMemberForm,
    InventoryForm,
    MeetingForm,
    MeetingNotesForm,
    SessionForm,
    SignOffForm,
    TimelineForm,
    UploadForm,
)
from trainer.cases.guards import load_case, load_session, stream_recording
from trainer.cases.models import SupervisionMeeting, TrainingCase
from trainer.cases.policy import can_edit_case, can_supervise_case
from trainer.charts.figures import case_measures
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.orgs.forms import person_choices
from trainer.orgs.queries import supervisors_of
from trainer.supervision import queries as rating_queries
from trainer.web.context import current_membership
from trainer.web.forms import ActionForm, show_domain_error
from trainer.web.guards import authorise, role_required

bp = Blueprint("cases", __name__, template_folder="templates", url_prefix="/cases")
ANY_ROLE = ("trainee", "supervisor", "admin")



@bp.route("/")
@role_required(*ANY_ROLE)
def index():
    membership = current_membership()
    cases = queries.cases_for(current_user.id, membership.role, membership.organisation_id)
    return render_template("cases/index.html", cases=cases)


@bp.route("/new", methods=["GET", "POST"])
@role_required("trainee")
def new():
    org_id = current_membership().organisation_id
    form = CaseForm()
    form.supervisor_id.choices = person_choices(supervisors_of(current_user.id, org_id))
    if form.validate_on_submit():
        try:
            case = services.register_case(current_user, org_id, form.data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            return redirect(url_for("cases.detail", case_id=case.id), code=303)
    return render_template("cases/new.html", form=form)


@bp.route("/<int:case_id>")
@role_required(*ANY_ROLE)
def detail(case_id: int):
    case = load_case(case_id)
    data = queries.case_record(case.id)
    ratings = rating_queries.ratings_by_session([s.id for s in data["sessions"]])
    means = {sid: rs[0].mean for sid, rs in ratings.items()
             if rs and rs[0].purpose != "self" and rs[0].status == "submitted"}
    return render_template(
        "cases/detail.html", case=case, **data, circle=closeness_circle(data["inventory"]),
        can_edit=can_edit_case(current_user, case),
        can_supervise=can_supervise_case(current_user, case),
        ratings=ratings, figure=case_measures(data["sessions"], means), means=means,
        member_form=GroupMemberForm(),
        drawn=rating_queries.drawn_session_ids(case.id),
        consent_form=ConsentForm(obj=case), inventory_form=InventoryForm(),
        timeline_form=TimelineForm(), meeting_form=MeetingForm(),
        formulation_form=FormulationForm(obj=case), signoff_form=SignOffForm(),
        notes_form=MeetingNotesForm(), action=ActionForm())


def _edit_case(case_id: int) -> TrainingCase:
    case = load_case(case_id)
    authorise(can_edit_case(current_user, case))
    return case


def _supervise_case(case_id: int) -> TrainingCase:
    case = load_case(case_id)
    authorise(can_supervise_case(current_user, case))
    return case


def _back(case: TrainingCase, anchor: str = ""):
    return redirect(url_for("cases.detail", case_id=case.id) + anchor, code=303)


def _run(case, form, action, success: str, anchor: str = ""):
    """Validate the form, run the service, commit; errors go back to the case page."""
    if not form.validate_on_submit():
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "error")
        return _back(case, anchor)
    try:
        action()
    except DomainError as exc:
        show_domain_error(None, exc)
    else:
        flash(success, "success")
    return _back(case, anchor)


@bp.route("/<int:case_id>/consent", methods=["POST"])
@role_required("trainee")
def consent(case_id: int):
    case = _edit_case(case_id)
    form = ConsentForm()
    return _run(case, form, lambda: services.set_consent(
        current_user, case, form.consent_record.data, form.consent_supervision.data,
        form.consent_teaching.data), "Consent updated.", "#consent")


@bp.route("/<int:case_id>/inventory", methods=["POST"])
@role_required("trainee")
def add_person(case_id: int):
    case = _edit_case(case_id)
    form = InventoryForm()
    fields = ("label", "relationship_kind", "closeness", "good", "hard", "expectations",
              "changes_wanted")
    return _run(case, form, lambda: services.add_inventory_person(
        case, {name: getattr(form, name).data for name in fields}),
        "Added to the inventory.", "#inventory")


@bp.route("/<int:case_id>/timeline", methods=["POST"])
@role_required("trainee")
def add_event(case_id: int):
    case = _edit_case(case_id)
    form = TimelineForm()
    return _run(case, form, lambda: services.add_timeline_event(
        case, form.when.data, form.event.data, form.mood.data or ""),
        "Added to the timeline.", "#timeline")


@bp.route("/<int:case_id>/formulation", methods=["POST"])
@role_required("trainee")
def formulation(case_id: int):
    case = _edit_case(case_id)
    form = FormulationForm()
    return _run(case, form, lambda: services.save_formulation(
        current_user, case, form.problem_areas.data or [], form.goals.data or "",
        form.formulation.data or "", form.contract_sessions.data),
        "Formulation saved: your supervisor approves it before the middle phase.",
        "#formulation")


@bp.route("/<int:case_id>/formulation/approve", methods=["POST"])
@role_required("supervisor")
def approve(case_id: int):
    case = _supervise_case(case_id)
    return _run(case, ActionForm(), lambda: services.approve_formulation(current_user, case),
                "Formulation approved.", "#formulation")


@bp.route("/<int:case_id>/sessions/new", methods=["GET", "POST"])
@role_required("trainee")
def new_session(case_id: int):
    case = _edit_case(case_id)
    form = SessionForm()
    if request.method == "GET":
        form.number.data = services.next_session_number(case)
    if form.validate_on_submit():
        data = {"number": form.number.data, "date": form.date.data, "phase": form.phase.data,
                "notes": form.notes.data, "measures": form.measures()}
        try:
            session = services.log_session(current_user, case, data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            return redirect(url_for("cases.session", session_id=session.id), code=303)
    return render_template("cases/new_session.html", case=case, form=form)


@bp.route("/sessions/<int:session_id>")
@role_required(*ANY_ROLE)
def session(session_id: int):
    session = load_session(session_id)
    return render_template(
        "cases/session.html", session=session, case=session.case, form=UploadForm(),
        can_edit=can_edit_case(current_user, session.case),
        can_supervise=can_supervise_case(current_user, session.case),
        ratings=rating_queries.ratings_by_session([session.id]).get(session.id, []),
        members=queries.case_record(session.case_id)["members"],
        attendance=queries.attendance(session.id), action=ActionForm(),
        drawn=session.id in rating_queries.drawn_session_ids(session.case_id))


@bp.route("/sessions/<int:session_id>/recording", methods=["POST"])
@role_required("trainee")
def upload(session_id: int):
    session = load_session(session_id)
    authorise(can_edit_case(current_user, session.case))
    form = UploadForm()
    if form.validate_on_submit():
        try:
            recordings.store_recording(current_user, session, form.file.data.stream,
                                       form.consent.data)
        except DomainError as exc:
            show_domain_error(None, exc)
        else:
            flash("Recording uploaded: your supervisor can now play and rate it.", "success")
    else:
        flash("Choose a recording file to upload.", "error")
    return redirect(url_for("cases.session", session_id=session.id), code=303)


@bp.route("/sessions/<int:session_id>/recording")
@role_required(*ANY_ROLE)
def recording(session_id: int):
    session = load_session(session_id)
    return stream_recording(current_user._get_current_object(), session)



@bp.route("/<int:case_id>/meetings", methods=["POST"])
@role_required("trainee", "supervisor")
def add_meeting(case_id: int):
    case = load_case(case_id)
    supervising = can_supervise_case(current_user, case)
    authorise(supervising or can_edit_case(current_user, case))
    form = MeetingForm()
    return _run(case, form, lambda: services.log_meeting(
        current_user, case, {"date": form.date.data, "minutes": form.minutes.data,
                             "group_size": form.group_size.data}, confirm=supervising),
        "Supervision meeting logged.", "#meetings")


@bp.route("/meetings/<int:meeting_id>/confirm", methods=["POST"])
@role_required("supervisor")
def confirm_meeting(meeting_id: int):
    meeting = db.session.get(SupervisionMeeting, meeting_id) or abort(404)
    case = _supervise_case(meeting.case_id)
    form = MeetingNotesForm()
    return _run(case, form, lambda: services.confirm_meeting(current_user, meeting, form.data),
                "Meeting confirmed; the trainee can read your notes.", "#meetings")


@bp.route("/<int:case_id>/sign-off", methods=["POST"])
@role_required("supervisor")
def sign_off(case_id: int):
    case = _supervise_case(case_id)
    form = SignOffForm()
    return _run(case, form, lambda: services.sign_off(current_user, case, form.outcome.data,
                                                      form.note.data), "The case is closed.")


@bp.route("/<int:case_id>/draw", methods=["POST"])
@role_required("supervisor")
def draw(case_id: int):
    from trainer.supervision.services import draw_sessions

    case = _supervise_case(case_id)
    return _run(case, ActionForm(), lambda: draw_sessions(current_user, case),
                "Sessions drawn at random for summative rating.", "#sessions")


@bp.route("/<int:case_id>/members", methods=["POST"])
@role_required("trainee")
def add_member(case_id: int):
    case = _edit_case(case_id)
    form = GroupMemberForm()
    return _run(case, form, lambda: services.add_group_member(
        case, form.code.data, form.problem_area.data, form.goals.data or ""),
        "Member added to the group.", "#group")


@bp.route("/sessions/<int:session_id>/attendance", methods=["POST"])
@role_required("trainee")
def attendance(session_id: int):
    session = load_session(session_id)
    authorise(can_edit_case(current_user, session.case))
    if not ActionForm().validate_on_submit():
        abort(400)
    entries = {}
    for key in request.form:
        if key.startswith("member-"):
            member_id = int(key.split("-", 1)[1]) if key[7:].isdigit() else -1
            phq9 = request.form.get(f"phq9-{member_id}", "")
            entries[member_id] = (request.form.get(f"present-{member_id}") == "1",
                                  {"phq9": int(phq9)} if phq9.isdigit() else {})
    try:
        services.record_attendance(session, entries)
    except DomainError as exc:
        show_domain_error(None, exc)
    else:
        flash("Attendance saved.", "success")
    return redirect(url_for("cases.session", session_id=session.id), code=303)
