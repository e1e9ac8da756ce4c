"""Recording uploads with bad input, through the API and the session page: random bytes,
truncated WAV files, wrong names, nothing, too much. A refusal is a clean 4xx (or a form
error), writes no row and leaves nothing under RECORDINGS_PATH; whatever is accepted is exactly
what was sent, and the folder never holds a file without its row."""

import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.factories import TONE
from trainer.cases.models import Recording
from trainer.extensions import db

WAV = TONE.read_bytes()
# Each test keeps its app and database across examples on purpose: the invariants below must
# hold after every upload, whatever came before it.
BOUNDED = settings(max_examples=40, derandomize=True, database=None, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])
NAMES = st.sampled_from(["session.wav", "session.mp3", "session.mp4", "session.webm",
                         "session.exe", "session.txt", "session", ".wav", "a.wav.php",
                         "../../etc/passwd", "s\u00e9ance.ogg", ""])


@pytest.fixture
def world(make, token_for):
    org = make.org()
    trainee = make.user(org=org, role="trainee")
    supervisor = make.user(org=org, role="supervisor")
    make.assign(org, supervisor, trainee)
    case = make.case(org, trainee, supervisor)
    return {"trainee": trainee, "session_id": case.sessions[0].id,
            "headers": token_for(trainee)}


def api_upload(client, world, data: bytes, name: str = "session.wav", consent: str = "yes"):
    return client.put(f"/api/v1/sessions/{world['session_id']}/recording",
                      headers=world["headers"], content_type="multipart/form-data",
                      data={"file": (io.BytesIO(data), name), "consent": consent})


def page_upload(client, world, data: bytes, name: str = "session.wav", consent: bool = True):
    form = {"file": (io.BytesIO(data), name)}
    if consent:
        form["consent"] = "y"
    return client.post(f"/cases/sessions/{world['session_id']}/recording", data=form,
                       content_type="multipart/form-data")


def stored(app) -> tuple[set[str], set[str]]:
    """(file names under RECORDINGS_PATH, storage names of recording rows)."""
    folder = Path(app.config["RECORDINGS_PATH"])
    files = {p.name for p in folder.iterdir()} if folder.exists() else set()
    db.session.expire_all()
    rows = set(db.session.scalars(select(Recording.storage_name)))
    return files, rows


def assert_refused_and_unchanged(app, response, before, statuses=(413, 415, 422)) -> None:
    assert response.status_code in statuses, (response.status_code, response.get_data()[:200])
    if response.is_json:
        assert response.get_json()["error"]["code"]
    assert stored(app) == before


def assert_kept_exactly(app, response, data: bytes) -> None:
    assert response.status_code == 201
    body = response.get_json()
    assert body["bytes"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["content_type"].startswith(("audio/", "video/"))
    files, rows = stored(app)
    assert files == rows and len(rows) == 1
    assert (Path(app.config["RECORDINGS_PATH"]) / rows.pop()).read_bytes() == data


def check_api_upload(app, client, world, data: bytes, name: str) -> None:
    before = stored(app)
    response = api_upload(client, world, data, name)
    if response.status_code == 201:
        assert_kept_exactly(app, response, data)
    else:
        assert_refused_and_unchanged(app, response, before)


@BOUNDED
@given(data=st.binary(max_size=4096), name=NAMES)
def test_random_bytes_are_refused_or_kept_exactly(app, client, world, data, name):
    check_api_upload(app, client, world, data, name)


@BOUNDED
@given(cut=st.integers(0, len(WAV) - 1), name=NAMES)
def test_a_truncated_wav_is_refused_or_kept_exactly(app, client, world, cut, name):
    before = stored(app)
    response = api_upload(client, world, WAV[:cut], name)
    if cut == 0:
        assert_refused_and_unchanged(app, response, before, statuses=(422,))
    elif cut < 12:  # "RIFF....WAVE" is the signature: nothing shorter is audio
        assert_refused_and_unchanged(app, response, before, statuses=(415,))
    else:
        # The signature is intact: sniffing takes it as audio, and a partial WAV still plays.
        assert_kept_exactly(app, response, WAV[:cut])


@pytest.mark.parametrize("name", ["session.exe", "notes.txt", "session", "a.wav.php"])
def test_a_wav_under_any_name_is_taken_by_its_content(app, client, world, name):
    response = api_upload(client, world, WAV, name)
    assert_kept_exactly(app, response, WAV)
    assert response.get_json()["content_type"] == "audio/x-wav"


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + b"x" * 500, b"<?php system($_GET[1]); ?>",
                                  b"GIF89a" + b"\x00" * 100, b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
                                  b"MZ\x90\x00" + b"\0" * 200, b"<svg onload=alert(1)>"])
@pytest.mark.parametrize("name", ["session.wav", "session.mp4"])
def test_other_content_with_an_audio_name_is_415(app, client, world, data, name):
    before = stored(app)
    assert_refused_and_unchanged(app, api_upload(client, world, data, name), before, (415,))


def test_zero_bytes_are_422(app, client, world):
    before = stored(app)
    response = api_upload(client, world, b"", "session.wav")
    assert_refused_and_unchanged(app, response, before, statuses=(422,))
    assert response.get_json()["error"]["fields"] == {"file": ["The file is empty."]}


def test_no_file_field_and_no_consent_are_422(app, client, world):
    before = stored(app)
    response = client.put(f"/api/v1/sessions/{world['session_id']}/recording",
                          headers=world["headers"], data={"consent": "yes"},
                          content_type="multipart/form-data")
    assert_refused_and_unchanged(app, response, before, statuses=(422,))
    assert_refused_and_unchanged(app, api_upload(client, world, WAV, consent="no"), before,
                                 statuses=(422,))


@BOUNDED
@given(body=st.binary(max_size=2048))
def test_a_mangled_multipart_body_is_a_clean_4xx(app, client, world, body):
    before = stored(app)
    response = client.put(f"/api/v1/sessions/{world['session_id']}/recording",
                          headers={**world["headers"],
                                   "Content-Type": "multipart/form-data; boundary=XyZ"},
                          data=body)
    assert_refused_and_unchanged(app, response, before, statuses=(400, 413, 415, 422))


@pytest.mark.options(RECORDING_MAX_BYTES=len(WAV) - 1)
def test_one_byte_over_the_cap_is_413_and_keeps_nothing(app, client, world):
    before = stored(app)
    response = api_upload(client, world, WAV)
    assert_refused_and_unchanged(app, response, before, statuses=(413,))
    assert response.get_json()["error"]["code"] == "too_large"


@pytest.mark.options(RECORDING_MAX_BYTES=len(WAV))
def test_exactly_the_cap_is_kept(app, client, world):
    assert_kept_exactly(app, api_upload(client, world, WAV), WAV)


@pytest.mark.options(RECORDING_MAX_BYTES=2048)
def test_a_refused_replacement_keeps_the_old_recording(app, client, world):
    first = WAV[:2000]
    assert_kept_exactly(app, api_upload(client, world, first), first)
    before = stored(app)
    assert_refused_and_unchanged(app, api_upload(client, world, WAV), before, statuses=(413,))
    assert_refused_and_unchanged(app, api_upload(client, world, b"not audio" * 10), before,
                                 statuses=(415,))
    (name,) = before[1]
    assert (Path(app.config["RECORDINGS_PATH"]) / name).read_bytes() == first


def test_a_rated_recording_cannot_be_replaced(app, client, make, token_for):
    org = make.org()
    trainee = make.user(org=org, role="trainee")
    supervisor = make.user(org=org, role="supervisor")
    make.assign(org, supervisor, trainee)
    ids = make.case_with_rating(org, trainee, supervisor)
    before = stored(app)
    response = client.put(f"/api/v1/sessions/{ids['session_id']}/recording",
                          headers=token_for(trainee), content_type="multipart/form-data",
                          data={"file": (io.BytesIO(WAV[:1000]), "new.wav"), "consent": "yes"})
    assert_refused_and_unchanged(app, response, before, statuses=(409,))


# --- the session page's upload form -------------------------------------------------------

def flashed_error(client) -> bool:
    with client.session_transaction() as session:
        return any(category == "error" for category, _ in session.get("_flashes", []))


@settings(BOUNDED, max_examples=20)
@given(data=st.binary(max_size=2048) | st.builds(lambda cut: WAV[:cut], st.integers(0, 11)),
       name=NAMES)
def test_the_page_refuses_bad_files_with_a_form_error_and_keeps_nothing(app, client, world,
                                                                      login_as, data, name):
    login_as(world["trainee"])
    before = stored(app)
    response = page_upload(client, world, data, name)
    assert response.status_code == 303
    if stored(app) != before:  # random bytes that happen to carry an audio signature
        files, rows = stored(app)
        assert files == rows and not flashed_error(client)
    else:
        assert flashed_error(client)
    with client.session_transaction() as session:
        session.pop("_flashes", None)


@pytest.mark.options(RECORDING_MAX_BYTES=len(WAV) - 1)
@pytest.mark.parametrize("consent", [True, False])
def test_the_page_refuses_an_oversized_or_unconsented_file(app, client, world, login_as,
                                                           consent):
    login_as(world["trainee"])
    before = stored(app)
    response = page_upload(client, world, WAV, consent=consent)
    assert response.status_code == 303
    assert flashed_error(client)
    assert stored(app) == before
    assert db.session.scalar(select(func.count()).select_from(Recording)) == 0
