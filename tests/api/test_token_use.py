"""A token's last use is recorded, but not written on every request."""

from datetime import timedelta

from sqlalchemy import select

from trainer.auth.models import ApiToken
from trainer.extensions import db


def test_last_use_is_written_at_most_once_a_minute(client, make, token_for):
    user = make.user(org=make.org(), role="trainee")
    headers = token_for(user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    first = db.session.scalar(select(ApiToken.last_used_at))
    assert first is not None
    client.get("/api/v1/me", headers=headers)
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) == first
    token = db.session.scalar(select(ApiToken))
    token.last_used_at = first - timedelta(minutes=2)
    db.session.commit()
    client.get("/api/v1/me", headers=headers)
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) > first
