"""Queue and read notifications."""

from sqlalchemy import select

from trainer.extensions import db
from trainer.notifications.models import Notification


def notify(organisation_id: int, user_id: int, kind: str, message: str, link: str = "") -> None:
    """Queue a notification for one person (in the caller's transaction)."""
    db.session.add(Notification(organisation_id=organisation_id, user_id=user_id, kind=kind,
                                message=message, link=link))


def unread(user_id: int, organisation_id: int) -> list[Notification]:
    """A person's unread notifications in an organisation, newest first."""
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user_id, Notification.organisation_id == organisation_id,
        Notification.read_at.is_(None)).order_by(Notification.created_at.desc()).limit(20)))
