"""Cases, sessions and recordings through the API, with every refusal the spec lists."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import DEFAULT_PASSWORD, TONE
from trainer.audit.models import AuditEntry
from trainer.cases.models import Recording
from trainer.extensions import db
from trainer.notifications.models import Notification


@pytest.fixture
def world(make, token_for):
    org = make.org()
    trainee = make.user(org=org, role="trainee")
    supervisor = make.user(org=org, role="supervisor")
    make.assign(org, supervisor, trainee)
    return {"org": org, "trainee": trainee, "supervisor": supervisor,
            "headers": token_for(trainee), "sup_headers": token_for(supervisor)}


def new_case(client, world, **overrides):
    body = {"client_code": "C-0412", "variant": "IPT", "planned_sessions": 12,
            "supervisor_id": world["supervisor"].id, **overrides}
    return client.post("/api/v1/cases", headers=world["headers"], json=body)


def new_session(client, world, case_id, **overrides):
    body = {"number": 1, "date": "2026-11-02", "phase": "initial",
            "measures": {"phq9": 15, "phq9_item9": 0, "gad7": 9}, **overrides}
    return client.post(f"/api/v1/cases/{case_id}/sessions", headers=world["headers"], json=body)


def test_register_a_case_and_log_a_session(client, world):
    created = new_case(client, world)
    assert created.status_code == 201
    case = created.get_json()
    assert case == {"id": case["id"], "client_code": "C-0412", "variant": "IPT",
                    "planned_sessions": 12, "supervisor_id": world["supervisor"].id,
                    "status": "open", "sessions": []}
    session = new_session(client, world, case["id"])
    assert session.status_code == 201
    assert session.get_json()["measures"] == {"phq9": 15, "phq9_item9": 0, "gad7": 9}
    assert session.get_json()["recording"] is None
    fetched = client.get(f"/api/v1/cases/{case['id']}", headers=world["sup_headers"])
    assert [s["number"] for s in fetched.get_json()["sessions"]] == [1]


@pytest.mark.parametrize("code", ["John Smith", "jane.doe@example.org", "Margaret", "A"])
def test_a_code_that_looks_like_a_name_or_email_is_refused(client, world, code):
    response = new_case(client, world, client_code=code)
    assert response.status_code == 422
    assert "client_code" in response.get_json()["error"]["fields"]


def test_a_supervisor_not_assigned_to_the_trainee_is_refused(client, world, make):
    other = make.user(org=world["org"], role="supervisor")
    response = new_case(client, world, supervisor_id=other.id)
    assert response.status_code == 422
    assert "supervisor_id" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("overrides, field", [
    ({"phase": "ending"}, "phase"),
    ({"measures": {"phq9": 28}}, "measures.phq9"),
    ({"measures": {"phq9_item9": 4}}, "measures.phq9_item9"),
    ({"measures": {"gad7": -1}}, "measures.gad7"),
    ({"measures": {"gad7": 22}}, "measures.gad7"),
])
def test_bad_sessions_are_422(client, world, overrides, field):
    case = new_case(client, world).get_json()
    response = new_session(client, world, case["id"], **overrides)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_sessions_beyond_the_plan_are_allowed_but_not_twice(client, world):
    case = new_case(client, world, planned_sessions=1).get_json()
    assert new_session(client, world, case["id"]).status_code == 201
    assert new_session(client, world, case["id"], number=2).status_code == 201
    assert new_session(client, world, case["id"], number=2).status_code == 409


def test_item_nine_above_zero_alerts_the_supervisor(client, world):
    case = new_case(client, world).get_json()
    new_session(client, world, case["id"], measures={"phq9": 16, "phq9_item9": 1})
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == world["supervisor"].id))
    assert note is not None and "item 9" in note.message


def upload(client, world, session_id, data: bytes, name="s.wav", consent="yes"):
    return client.put(f"/api/v1/sessions/{session_id}/recording", headers=world["headers"],
                      data={"file": (io.BytesIO(data), name), "consent": consent},
                      content_type="multipart/form-data")


@pytest.fixture
def session_id(client, world):
    case = new_case(client, world).get_json()
    return new_session(client, world, case["id"]).get_json()["id"]


def recordings_on_disk(app) -> list[Path]:
    folder = Path(app.config["RECORDINGS_PATH"])
    return [p for p in folder.iterdir()] if folder.exists() else []


def test_upload_and_play_with_ranges(app, client, world, session_id):
    tone = TONE.read_bytes()
    created = upload(client, world, session_id, tone)
    assert created.status_code == 201
    assert created.get_json()["content_type"] == "audio/x-wav"
    assert created.get_json()["bytes"] == len(tone)
    url = f"/api/v1/sessions/{session_id}/recording"
    full = client.get(url, headers=world["sup_headers"])
    assert full.status_code == 200 and full.data == tone
    assert full.headers["Accept-Ranges"] == "bytes"
    assert full.headers["Cache-Control"] == "private, no-store"
    first = client.get(url, headers={**world["headers"], "Range": "bytes=0-9"})
    assert first.status_code == 206 and first.data == tone[:10]
    assert first.headers["Content-Range"] == f"bytes 0-9/{len(tone)}"
    middle = client.get(url, headers={**world["headers"], "Range": "bytes=100-199"})
    assert middle.status_code == 206 and middle.data == tone[100:200]
    suffix = client.get(url, headers={**world["headers"], "Range": "bytes=-10"})
    assert suffix.status_code == 206 and suffix.data == tone[-10:]
    bad = client.get(url, headers={**world["headers"], "Range": f"bytes={len(tone) + 5}-"})
    assert bad.status_code == 416
    assert bad.get_json()["error"]["code"] == "range_not_satisfiable"
    full.close(), first.close(), middle.close(), suffix.close()


def test_every_way_of_asking_for_the_start_is_audited(app, client, world, session_id):
    """Issue 19, finding 9: `bytes=00-`, `bytes= 0-` and `Bytes=0-` sent the whole file
    without the "recording viewed" entry (the old check read the header's spelling)."""
    tone = TONE.read_bytes()
    upload(client, world, session_id, tone)
    url = f"/api/v1/sessions/{session_id}/recording"

    def views():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "recording.viewed"))

    for header in ({"Range": "bytes=00-"}, {"Range": "bytes= 0-"}, {"Range": "Bytes=0-"},
                   {"Range": "bytes=100-", "If-Range": '"not-the-etag"'}, {}):
        before = views()
        answer = client.get(url, headers={**world["headers"], **header})
        assert answer.data == tone, header
        assert views() == before + 1, header
        answer.close()
    before = views()
    later = client.get(url, headers={**world["headers"], "Range": "bytes=100-"})
    assert later.status_code == 206 and views() == before  # the rest of a playback
    later.close()


def test_upload_without_consent_is_422_and_keeps_nothing(app, client, world, session_id):
    response = upload(client, world, session_id, TONE.read_bytes(), consent="no")
    assert response.status_code == 422
    assert recordings_on_disk(app) == []


def test_content_not_audio_is_415_whatever_the_name(app, client, world, session_id):
    response = upload(client, world, session_id, b"%PDF-1.4 not audio at all" * 50,
                      name="session.mp3")
    assert response.status_code == 415
    assert recordings_on_disk(app) == []
    assert db.session.scalar(select(func.count()).select_from(Recording)) == 0


def test_over_the_cap_is_413_and_keeps_nothing(app, client, world, session_id):
    app.config["RECORDING_MAX_BYTES"] = 1000
    response = upload(client, world, session_id, TONE.read_bytes())
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert recordings_on_disk(app) == []


def test_other_organisations_and_unassigned_supervisors_get_404(client, world, session_id,
                                                                make, token_for):
    upload(client, world, session_id, TONE.read_bytes())
    outsider = token_for(make.user(org=make.org(), role="admin"))
    stranger = token_for(make.user(org=world["org"], role="supervisor"))
    for headers in (outsider, stranger):
        assert client.get(f"/api/v1/sessions/{session_id}/recording",
                          headers=headers).status_code == 404
    admin = token_for(make.user(org=world["org"], role="admin"))
    response = client.get(f"/api/v1/sessions/{session_id}/recording", headers=admin)
    assert response.status_code == 200
    response.close()


def test_a_supervisor_cannot_upload_or_log_sessions(client, world, session_id):
    case_id = client.get("/api/v1/cases", headers=world["headers"])  # 405: no list route
    assert case_id.status_code == 405
    response = client.put(f"/api/v1/sessions/{session_id}/recording",
                          headers=world["sup_headers"],
                          data={"file": (io.BytesIO(TONE.read_bytes()), "a.wav"),
                                "consent": "yes"}, content_type="multipart/form-data")
    assert response.status_code == 403


def test_a_deactivated_trainee_loses_their_cases_through_the_api(app, client, world, make,
                                                                 session_id):
    """Security finding 4: a trainee whose membership was switched off got a new token and
    kept reading their case, downloading and uploading its recording, logging sessions."""
    from trainer.orgs.models import Membership
    from trainer.orgs.services import set_membership_active

    assert upload(client, world, session_id, TONE.read_bytes()).status_code == 201
    from trainer.cases.models import CaseSession
    case_id = db.session.get(CaseSession, session_id).case_id
    admin = make.user(org=world["org"], role="admin")
    membership = db.session.scalar(select(Membership).where(
        Membership.user_id == world["trainee"].id))
    set_membership_active(admin, membership, False)
    db.session.commit()
    body = {"email": world["trainee"].email, "password": DEFAULT_PASSWORD}
    refused = client.post("/api/v1/tokens", json=body)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "no_active_membership"
    # Still a trainee elsewhere: a token, and nothing of the old organisation's cases.
    make.membership(world["trainee"], make.org(), "trainee")
    db.session.commit()
    token = client.post("/api/v1/tokens", json=body)
    assert token.status_code == 201
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    world = {**world, "headers": headers}
    assert client.get(f"/api/v1/cases/{case_id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/sessions/{session_id}/recording",
                      headers=headers).status_code == 404
    assert upload(client, world, session_id, TONE.read_bytes()).status_code == 404
    assert new_session(client, world, case_id, number=2).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Recording)) == 1
