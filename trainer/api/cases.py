"""API routes for training cases, sessions, recordings and ratings."""

from flask import abort, g, request
from marshmallow import Schema, fields, validate

from trainer.api import bp
from trainer.api.auth import token_required
from trainer.api.common import LONG_TEXT, SHORT_TEXT, documented, load
from trainer.cases import recordings, services
from trainer.cases.guards import stream_recording
from trainer.cases.models import CaseSession, TrainingCase
from trainer.cases.policy import can_edit_case, can_supervise_case, can_view_case
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.supervision import services as ratings


class CaseIn(Schema):
    client_code = fields.String(required=True, validate=validate.Length(max=32))
    variant = fields.String(required=True, validate=validate.Length(max=32))
    planned_sessions = fields.Integer(required=True, strict=True)
    supervisor_id = fields.Integer(required=True, strict=True)
    start_date = fields.Date()
    end_date = fields.Date()


class SessionIn(Schema):
    number = fields.Integer(required=True, strict=True, validate=validate.Range(1, 200))
    date = fields.Date(required=True)
    phase = fields.String(required=True, validate=validate.Length(max=32))
    notes = fields.String(validate=validate.Length(max=LONG_TEXT))
    measures = fields.Dict(keys=fields.String(validate=validate.Length(max=32)),
                           values=fields.Raw(allow_none=True), allow_none=True)


class RecordingOut(Schema):
    content_type = fields.String()
    bytes = fields.Integer()
    sha256 = fields.String()


class SessionOut(Schema):
    id = fields.Integer()
    number = fields.Integer()
    date = fields.Date()
    phase = fields.String()
    measures = fields.Dict()
    recording = fields.Nested(RecordingOut, allow_none=True)


class CaseOut(Schema):
    id = fields.Integer()
    client_code = fields.String()
    variant = fields.String()
    planned_sessions = fields.Integer()
    supervisor_id = fields.Integer()
    status = fields.String()
    sessions = fields.List(fields.Nested(SessionOut))


class CommentIn(Schema):
    at = fields.String(required=True, validate=validate.Length(max=16))
    text = fields.String(required=True, validate=validate.Length(max=SHORT_TEXT))


class RatingIn(Schema):
    scale_id = fields.String(required=True, validate=validate.Length(max=64))
    purpose = fields.String(required=True,
                            validate=validate.OneOf(("formative", "summative", "self")))
    items = fields.Dict(keys=fields.String(validate=validate.Length(max=64)),
                        values=fields.Raw(allow_none=True), required=True)
    global_ = fields.Raw(data_key="global", required=True)
    item_comments = fields.Dict(keys=fields.String(validate=validate.Length(max=64)),
                                values=fields.String(validate=validate.Length(max=SHORT_TEXT)))
    comments = fields.List(fields.Nested(CommentIn), validate=validate.Length(max=200))
    harmful_practice = fields.String(validate=validate.Length(max=SHORT_TEXT))
    client_at_risk = fields.String(validate=validate.Length(max=SHORT_TEXT))


class RatingOut(Schema):
    id = fields.Integer()
    purpose = fields.String()
    mean = fields.Float(allow_none=True)
    competent = fields.Boolean()
    reasons = fields.List(fields.String())


def _trainee_org(user) -> int:
    membership = next((m for m in user.memberships if m.active and m.role == "trainee"), None)
    if membership is None:
        abort(403)
    return membership.organisation_id


def _case_or_404(case_id: int) -> TrainingCase:
    case = db.session.get(TrainingCase, case_id)
    if case is None or not can_view_case(g.api_user, case):
        abort(404)
    return case


def _session_or_404(session_id: int) -> CaseSession:
    session = db.session.get(CaseSession, session_id)
    if session is None or not can_view_case(g.api_user, session.case):
        abort(404)
    return session


def session_object(session: CaseSession) -> dict:
    """A session as the API shows it."""
    measures = {k: getattr(session, k) for k in ("phq9", "phq9_item9", "gad7")
                if getattr(session, k) is not None}
    recording = session.recording if session.recording and session.recording.playable else None
    return {"id": session.id, "number": session.number, "date": session.date,
            "phase": session.phase, "measures": {**measures, **session.other_measures},
            "recording": recording}


def case_object(case: TrainingCase) -> dict:
    """A case with its sessions."""
    return {"id": case.id, "client_code": case.client_code, "variant": case.variant,
            "planned_sessions": case.planned_sessions, "supervisor_id": case.supervisor_id,
            "status": case.status, "sessions": [session_object(s) for s in case.sessions]}


@bp.post("/cases")
@token_required
@documented("Register a training case (trainees)", body=CaseIn,
            responses={201: CaseOut, 403: "Not a trainee", 422: "Invalid case"})
def create_case():
    org_id = _trainee_org(g.api_user)
    data = load(CaseIn())
    case = services.register_case(g.api_user, org_id, data)
    return CaseOut().dump(case_object(case)), 201


@bp.get("/cases/<int:case_id>")
@token_required
@documented("A case with its sessions", responses={200: CaseOut, 404: "Not visible"})
def get_case(case_id: int):
    case = _case_or_404(case_id)
    return CaseOut().dump(case_object(case))


@bp.post("/cases/<int:case_id>/sessions")
@token_required
@documented("Log a session (the case's trainee)", body=SessionIn,
            responses={201: SessionOut, 403: "Not the case's trainee", 404: "Not visible",
                       409: "Number already logged", 422: "Invalid session"})
def create_session(case_id: int):
    case = _case_or_404(case_id)
    if not can_edit_case(g.api_user, case):
        abort(403)
    session = services.log_session(g.api_user, case, load(SessionIn()))
    return SessionOut().dump(session_object(session)), 201


@bp.put("/sessions/<int:session_id>/recording")
@token_required
@documented("Upload the session's recording: multipart `file` and `consent=yes`",
            responses={201: RecordingOut, 403: "Not the case's trainee", 404: "Not visible",
                       409: "Already rated, or consent withdrawn", 413: "Too large",
                       415: "Not audio or video", 422: "No consent or no file"})
def upload_recording(session_id: int):
    session = _session_or_404(session_id)
    if not can_edit_case(g.api_user, session.case):
        abort(403)
    upload = request.files.get("file")
    if upload is None:
        raise DomainError("Send the recording as the multipart field 'file'.", field="file")
    recording = recordings.store_recording(g.api_user, session, upload.stream,
                                           request.form.get("consent") == "yes")
    return RecordingOut().dump(recording), 201


@bp.get("/sessions/<int:session_id>/recording")
@token_required
@documented("The recording's bytes (Range requests give 206)",
            responses={200: "The recording", 206: "Part of it", 404: "Not visible",
                       416: "Unsatisfiable range"})
def get_recording(session_id: int):
    return stream_recording(g.api_user, _session_or_404(session_id))


@bp.post("/sessions/<int:session_id>/ratings")
@token_required
@documented("Rate a session on a scale", body=RatingIn,
            responses={201: RatingOut, 403: "Not allowed for this purpose",
                       404: "Not visible",
                       422: "Invalid rating, or summative on a session not drawn for it"})
def create_rating(session_id: int):
    session = _session_or_404(session_id)
    data = load(RatingIn())
    allowed = can_edit_case(g.api_user, session.case) if data["purpose"] == "self" \
        else can_supervise_case(g.api_user, session.case)
    if not allowed:
        abort(403)
    scale = ratings.scale_for(session.case, data["scale_id"])
    rating = ratings.draft_rating(g.api_user, session, data["purpose"], scale)
    payload = {**data, "global": data.pop("global_")}
    ratings.submit_rating(g.api_user, rating, payload)  # refused: the draft stays as it was
    return RatingOut().dump(rating), 201
