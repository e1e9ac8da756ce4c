"""Submitting through the API: one attempt per Idempotency-Key, even when the same key
arrives twice at once (the second answer is the first attempt, 200)."""

import pytest
from sqlalchemy import func, select

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
