"""Session recordings: checked by content, capped in size, streamed to disk under random
names outside static/, hidden when consent is withdrawn, purged after retention."""

import hashlib
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

import filetype
from flask import current_app
from sqlalchemy import event, exists, select
from sqlalchemy.orm import Session

from trainer.audit.services import record
from trainer.cases.models import CaseSession, Recording, TrainingCase
from trainer.errors import Conflict, DomainError
from trainer.extensions import db
from trainer.timeutil import utcnow

CHUNK = 1024 * 1024
SNIFF_BYTES = 8192
ORPHAN_GRACE_SECONDS = 3600  # an upload being written has no row yet: purge leaves it alone
_PENDING = "recording_files_to_remove"


class UnsupportedMedia(DomainError):
    """The upload is not audio or video by its content (415)."""

    status = 415
    code = "unsupported_media_type"


class TooLarge(DomainError):
    """The upload is over the size cap (413)."""

    status = 413
    code = "too_large"


def storage_folder() -> Path:
    """Where recordings live (created on first use, readable by the app's user only)."""
    folder = Path(current_app.config["RECORDINGS_PATH"])
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def remove_after_commit(path: Path) -> None:
    """Delete the file once the transaction that stops pointing at it commits (a rollback
    keeps it, with its row)."""
    db.session.info.setdefault(_PENDING, set()).add(path)


@event.listens_for(Session, "after_commit")
def _remove_committed(session) -> None:
    for path in session.info.pop(_PENDING, ()):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_rolled_back(session) -> None:
    session.info.pop(_PENDING, None)


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
        remove_after_commit(path_of(old))
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
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
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


def _delete(actor, recording: Recording, now, reason: str) -> None:
    """The recording's file goes when the transaction commits; its row, its ratings and
    an audit entry stay."""
    remove_after_commit(path_of(recording))
    recording.deleted_at = now
    recording.hidden_at = recording.hidden_at or now
    recording.delete_after = recording.delete_after or now
    case = recording.session.case
    record(actor, "recording.deleted", organisation_id=case.organisation_id,
           target=recording, case=case.client_code, session=recording.session.number,
           reason=reason)


def hide_case_recordings(actor, case: TrainingCase) -> int:
    """Consent withdrawn: every recording of the case is hidden and its file deleted as
    the withdrawal commits (not at the next purge)."""
    now = utcnow()
    count = 0
    for recording in db.session.scalars(
            select(Recording).join(CaseSession).where(CaseSession.case_id == case.id,
                                                      Recording.deleted_at.is_(None))):
        _delete(actor, recording, now, "consent withdrawn")
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
    """Delete the files of recordings due for deletion (at the commit); the rows (and
    ratings) stay."""
    now = now or utcnow()
    schedule_retention(now)
    removed = []
    for recording in db.session.scalars(select(Recording).where(
            Recording.delete_after <= now, Recording.deleted_at.is_(None))):
        _delete(None, recording, now, "due")
        removed.append(recording)
    return removed


def orphan_files(grace_seconds: int = ORPHAN_GRACE_SECONDS) -> list[Path]:
    """Files in the storage folder that no live recording row names (a case deleted with
    its rows, a crash between the file and its row), older than the grace period."""
    folder = storage_folder()
    live = set(db.session.scalars(select(Recording.storage_name)
                                  .where(Recording.deleted_at.is_(None))))
    cutoff = time.time() - grace_seconds
    return sorted(path for path in folder.iterdir()
                  if path.is_file() and path.name not in live and path.stat().st_mtime < cutoff)


def purge_orphans(grace_seconds: int = ORPHAN_GRACE_SECONDS) -> list[Path]:
    """Delete the orphan files (at the commit) and note how many in the audit log."""
    orphans = orphan_files(grace_seconds)
    for path in orphans:
        remove_after_commit(path)
    if orphans:
        record(None, "recordings.orphans_deleted", count=len(orphans))
    return orphans
