"""The submission answer is built without a marshmallow dump (the API's hot path), so it
is held here to the documented schema: for every shipped vignette, answered with its
expert key and with a wrong pick, the answer is exactly what AttemptOut would dump, and it
equals the same attempt read back through GET /attempts/<id>."""

import pytest
from sqlalchemy import select

from trainer.api.vignettes import ATTEMPT_OUT
from trainer.content.models import Vignette
from trainer.content.services import DEFAULT_PATHS, sync_content
from trainer.extensions import db
from trainer.scoring.engine import expert_key


@pytest.fixture
def shipped(make):
    _, problems = sync_content(list(DEFAULT_PATHS))
    assert not problems
    db.session.commit()
    return list(db.session.scalars(select(Vignette).where(Vignette.latest.is_(True))))


def answers(vignette: dict, expert: bool) -> dict:
    chosen = {}
    for stage in vignette["stages"]:
        if stage["kind"] == "text":
            chosen[stage["id"]] = "A considered answer."
        else:
            key = expert_key(stage) if expert else [stage["options"][-1]["id"]]
            chosen[stage["id"]] = key[:1] if stage["kind"] == "single" else key
    return chosen


def test_submission_answers_match_the_documented_schema(client, make, shipped, token_for):
    org = make.org()
    headers = token_for(make.user(org=org, role="trainee"))
    assert len(shipped) >= 10
    for vignette in shipped:
        for expert in (True, False):
            answer = client.post(f"/api/v1/vignettes/{vignette.key}/attempts", headers=headers,
                                 json={"answers": answers(vignette.data, expert)})
            assert answer.status_code == 201, (vignette.key, answer.get_json())
            body = answer.get_json()
            assert ATTEMPT_OUT.dump(body) == body, vignette.key
            again = client.get(f"/api/v1/attempts/{body['id']}", headers=headers).get_json()
            assert again == body, vignette.key
