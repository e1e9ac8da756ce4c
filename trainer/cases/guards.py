"""Loaders and answers the case pages and the API share: a case or session the caller may
see (else 404), and a recording's bytes."""

from flask import abort, request, send_file
from flask_login import current_user

from trainer.audit.services import record
from trainer.cases import recordings
from trainer.cases.models import CaseSession, TrainingCase
from trainer.cases.policy import can_view_case
from trainer.extensions import db
from trainer.web.transaction import keep_access_record


def load_case(case_id: int) -> TrainingCase:
    """The case, or 404 when it does not exist or is not the caller's to see."""
    case = db.session.get(TrainingCase, case_id)
    if case is None or not can_view_case(current_user, case):
        abort(404)
    return case


def load_session(session_id: int) -> CaseSession:
    """The session, or 404 as for its case."""
    session = db.session.get(CaseSession, session_id)
    if session is None or not can_view_case(current_user, session.case):
        abort(404)
    return session


def stream_recording(actor, session: CaseSession):
    """The recording's bytes with Range support, never cached; 404 when not playable."""
    item = session.recording
    if item is None or not item.playable or not recordings.path_of(item).exists():
        abort(404)
    response = send_file(recordings.path_of(item), mimetype=item.content_type,
                         conditional=True, etag=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    if starts_the_file(response) and request.method != "HEAD":
        record(actor, "recording.viewed", organisation_id=session.case.organisation_id, target=item,
               case=session.case.client_code, session=session.number)
        keep_access_record()
    return response


def starts_the_file(response) -> bool:
    """Whether the answer sends the recording from its first byte: the whole file, or a
    range that werkzeug parsed as starting at 0 (`bytes=00-`, `Bytes= 0-` alike). Read
    from the response, not the header's spelling, so no way of asking skips the audit;
    a later range of a playback already audited, a 304 or a 416 sends no start."""
    if response.status_code == 200:
        return True
    return response.status_code == 206 and response.content_range is not None \
        and response.content_range.start == 0
