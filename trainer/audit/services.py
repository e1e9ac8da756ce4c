"""Writing to the audit log."""

from trainer.audit.models import AuditEntry
from trainer.extensions import db


def record(actor, action: str, *, organisation_id=None, target=None, **details) -> AuditEntry:
    """Append an audit entry in the caller's transaction (flushed, not committed)."""
    entry = AuditEntry(
        organisation_id=organisation_id,
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=str(getattr(target, "id", "")) if target is not None else "",
        details=details,
    )
    db.session.add(entry)
    return entry
