"""Submitting through the API (the hot path): one attempt per Idempotency-Key, even when
the same key arrives twice at once (the second answer is the first attempt, 200); a new
vignette version is scored at once, although vignettes are looked up from memory."""

import pytest
from sqlalchemy import func, select

from tests.factories import vignette_data
from trainer.dataversion import CONTENT_SCOPE, DataVersion, version_of
from trainer.extensions import db
from trainer.vignettes import services
from trainer.vignettes.models import VignetteAttempt


@pytest.fixture
def org(make):
    return make.org()


@pytest.fixture
def vignette(make):
    return make.vignette("vig-a")


def test_the_same_key_sent_twice_at_once_stores_one_attempt(client, make, org, vignette,
                                                           token_for, monkeypatch):
    trainee = make.user(org=org, role="trainee")
    headers = {**token_for(trainee), "Idempotency-Key": "k-1"}
    body = {"answers": {"focus": ["grief"], "risk": ["ask", "plan"],
                        "reflect": "Her mood fell after the death."}}
    first = client.post("/api/v1/vignettes/vig-a/attempts", json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    real = services.attempt_by_key
    calls = []

    def parallel(user_id, key):  # the first look misses: the other request has not committed
        calls.append(key)
        return None if len(calls) == 1 else real(user_id, key)

    monkeypatch.setattr(services, "attempt_by_key", parallel)
    second = client.post("/api/v1/vignettes/vig-a/attempts", json=body, headers=headers)
    assert second.status_code == 200 and second.get_json()["id"] == first.get_json()["id"]
    assert db.session.scalar(select(func.count()).select_from(VignetteAttempt)) == 1


def content_version() -> int:
    db.session.expire_all()
    return db.session.scalar(select(version_of(CONTENT_SCOPE)))


def test_a_new_vignette_version_is_used_by_the_next_submission(client, make, org, vignette,
                                                               token_for):
    headers = token_for(make.user(org=org, role="trainee"))
    body = {"answers": {"focus": ["grief"], "risk": ["ask", "plan"], "reflect": "Mood."}}
    first = client.post("/api/v1/vignettes/vig-a/attempts", json=body, headers=headers)
    assert first.get_json()["vignette_version"] == 1
    before = content_version()
    make.org()  # not content: the content version stays
    assert content_version() == before
    vignette.latest = False
    db.session.commit()
    make.vignette("vig-a", vignette_data("vig-a", version=2))
    assert content_version() > before
    second = client.post("/api/v1/vignettes/vig-a/attempts", json=body, headers=headers)
    assert second.status_code == 201 and second.get_json()["vignette_version"] == 2


def test_a_submission_moves_no_shared_counter(client, make, org, vignette, token_for):
    """The hot path writes its attempt and nothing every other write also updates."""
    headers = token_for(make.user(org=org, role="trainee"))
    body = {"answers": {"focus": ["grief"], "risk": ["ask", "plan"], "reflect": "Mood."}}
    before = db.session.execute(select(DataVersion.scope, DataVersion.version)).all()
    assert client.post("/api/v1/vignettes/vig-a/attempts", json=body,
                       headers=headers).status_code == 201
    db.session.expire_all()
    assert db.session.execute(select(DataVersion.scope, DataVersion.version)).all() == before
