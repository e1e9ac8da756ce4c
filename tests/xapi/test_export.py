"""The organisation's xAPI export: real records out, valid statements, no e-mail."""

import json

from ralph.models.xapi.base.statements import BaseXapiStatement

from tests.factories import good_rating
from trainer.extensions import db
from trainer.supervision.models import SummativeDraw
from trainer.supervision.services import draft_rating, submit_rating
from trainer.vignettes.services import create_attempt


def test_export_holds_every_kind_of_record_as_valid_statements(client, make, token_for):
    org = make.org(slug="lrs")
    trainee = make.user(org=org, role="trainee", email="private@example.org")
    supervisor = make.user(org=org, role="supervisor")
    admin = make.user(org=org, role="admin")
    make.assign(org, supervisor, trainee)
    vignette = make.vignette("vig-a")
    create_attempt(trainee, org.id, vignette, {"focus": ["grief"], "risk": ["ask", "plan"],
                                               "reflect": "Text."}, None)
    scale = make.scale()
    case = make.case(org, trainee, supervisor)
    db.session.add(SummativeDraw(case_id=case.id, session_id=case.sessions[0].id))  # drawn
    rating = draft_rating(supervisor, case.sessions[0], "summative", scale)
    submit_rating(supervisor, rating, good_rating(scale.data, "initial", 4))
    db.session.commit()
    response = client.get("/api/v1/organisations/lrs/xapi", headers=token_for(admin))
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    lines = response.get_data(as_text=True).splitlines()
    statements = [json.loads(line) for line in lines]
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in statements)
    assert verbs == ["attempted", "scored"]
    for statement in statements:
        BaseXapiStatement.model_validate(statement)
        assert "account" in statement["actor"]
    assert "private@example.org" not in response.get_data(as_text=True)


def test_bad_range_is_422(client, make, token_for):
    org = make.org(slug="lrs2")
    headers = token_for(make.user(org=org, role="admin"))
    response = client.get("/api/v1/organisations/lrs2/xapi?since=2026-13-01", headers=headers)
    assert response.status_code == 422
    response = client.get("/api/v1/organisations/lrs2/xapi?since=2025-01-01&until=2026-06-01",
                          headers=headers)
    assert response.status_code == 422
