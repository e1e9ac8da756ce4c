"""Session recordings: checked by content, capped in size, streamed to disk under random
names outside static/, hidden when consent is withdrawn, purged after retention."""

import hashlib
import secrets
from datetime import timedelta
from pathlib import Path

import filetype
from flask import current_app
from sqlalchemy import exists, select

from trainer.audit.services import record
from trainer.cases.models import CaseSession, Recording, TrainingCase
from trainer.errors import Conflict, DomainError
from trainer.extensions import db
from trainer.timeutil import utcnow

CHUNK = 1024 * 1024
SNIFF_BYTES = 8192


class UnsupportedMedia(DomainError):
    """The upload is not audio or video by its content (415)."""

    status = 415
    code = "unsupported_media_type"


class TooLarge(DomainError):
    """The upload is over the size cap (413)."""

    status = 413
    code = "too_large"


def storage_folder() -> Path:
    """Where recordings live (created on first use)."""
    folder = Path(current_app.config["RECORDINGS_PATH"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sniff(head: bytes) -> str:
    """The audio or video MIME type of the first bytes; UnsupportedMedia otherwise."""
    kind = filetype.guess(head)
    if kind is None or not kind.mime.startswith(("audio/", "video/")):
        raise UnsupportedMedia("The file is not an audio or video recording (checked by its "
                               "content, not its name).", field="file")
    return kind.mime


def store_recording(actor, session: CaseSession, stream, consent: bool) -> Recording:
    """Check consent and content, copy the upload to disk in chunks, and record it."""
    case = session.case
    if not consent:
        raise DomainError("Confirm that the client consented to recording and to its use in "
                          "supervision.", field="consent")
    if case.consent_withdrawn_at is not None and not (case.consent_record and
                                                      case.consent_supervision):
        raise Conflict("The client withdrew consent: no recording can be added to this case.")
    _refuse_if_rated(session)
    name, content_type, size, digest = save_upload(stream)
    old = session.recording
    if old is not None:
        _remove_file(old)
        db.session.delete(old)
        db.session.flush()
    case.consent_record = case.consent_supervision = True
    recording = Recording(session_id=session.id, storage_name=name, content_type=content_type,
                          bytes=size, sha256=digest, consent_confirmed_at=utcnow(),
                          uploaded_by_id=actor.id)
    db.session.add(recording)
    db.session.flush()
    record(actor, "recording.uploaded", organisation_id=case.organisation_id,
           target=recording, case=case.client_code, session=session.number, bytes=size)
    return recording


def _refuse_if_rated(session: CaseSession) -> None:
    from trainer.supervision.models import SessionRating

    rated = db.session.scalar(select(exists().where(
        SessionRating.session_id == session.id, SessionRating.status == "submitted",
        SessionRating.purpose != "self")))
    if rated:
        raise Conflict("This session's recording has been rated and cannot be replaced.")


def save_upload(stream) -> tuple[str, str, int, str]:
    """Sniff, cap and copy an upload to the storage folder: (name, type, bytes, sha256)."""
    head = stream.read(SNIFF_BYTES)
    if not head:
        raise DomainError("The file is empty.", field="file")
    content_type = sniff(head)
    name, size, digest = _write(head, stream)
    return name, content_type, size, digest


def _write(head: bytes, stream) -> tuple[str, int, str]:
    cap = current_app.config["RECORDING_MAX_BYTES"]
    name = secrets.token_hex(16)
    path = storage_folder() / name
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("xb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > cap:
                    raise TooLarge(f"The recording is larger than the limit of "
                                   f"{cap // (1024 * 1024)} MB.", field="file")
                digest.update(chunk)
                out.write(chunk)
                chunk = stream.read(CHUNK)
    except BaseException:
        path.unlink(missing_ok=True)  # nothing is kept from a refused upload
        raise
    return name, size, digest.hexdigest()


def path_of(recording: Recording) -> Path:
    """The file of a recording."""
    return storage_folder() / recording.storage_name


def _remove_file(recording: Recording) -> None:
    path_of(recording).unlink(missing_ok=True)


def hide_case_recordings(actor, case: TrainingCase) -> int:
    """Hide every recording of the case now and schedule its deletion."""
    count = 0
    for recording in db.session.scalars(
            select(Recording).join(CaseSession).where(CaseSession.case_id == case.id,
                                                      Recording.deleted_at.is_(None))):
        recording.hidden_at = recording.hidden_at or utcnow()
        recording.delete_after = utcnow()
        count += 1
    record(actor, "recordings.hidden", organisation_id=case.organisation_id, target=case,
           count=count, reason="consent withdrawn")
    return count


def schedule_retention(now=None) -> int:
    """Mark recordings whose rating is older than the retention period for deletion."""
    from trainer.supervision.models import SessionRating

    days = current_app.config["RECORDING_RETENTION_DAYS"]
    if not days:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    rated = select(SessionRating.session_id).where(
        SessionRating.status == "submitted", SessionRating.purpose != "self",
        SessionRating.submitted_at <= cutoff)
    count = 0
    for recording in db.session.scalars(select(Recording).where(
            Recording.session_id.in_(rated), Recording.delete_after.is_(None),
            Recording.deleted_at.is_(None))):
        recording.delete_after = now or utcnow()
        count += 1
    return count


def purge(now=None) -> list[Recording]:
    """Delete the files of recordings due for deletion; the rows (and ratings) stay."""
    now = now or utcnow()
    schedule_retention(now)
    removed = []
    for recording in db.session.scalars(select(Recording).where(
            Recording.delete_after <= now, Recording.deleted_at.is_(None))):
        _remove_file(recording)
        recording.deleted_at = now
        recording.hidden_at = recording.hidden_at or now
        case = recording.session.case
        record(None, "recording.deleted", organisation_id=case.organisation_id,
               target=recording, case=case.client_code, session=recording.session.number)
        removed.append(recording)
    return removed
