"""The case record in the browser's terms: forms, consent, draws, the queue, purge."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from trainer.cases.models import Recording, TrainingCase
from trainer.cases.recordings import path_of
from trainer.extensions import db
from trainer.supervision.models import SummativeDraw
from trainer.timeutil import utcnow


@pytest.fixture
def world(make):
    org = make.org()
    trainee = make.user(org=org, role="trainee", name="Tom")
    supervisor = make.user(org=org, role="supervisor", name="Sue")
    make.assign(org, supervisor, trainee)
    make.scale()
    return {"org": org, "trainee": trainee, "supervisor": supervisor}


def test_trainee_registers_a_case_and_fills_the_record(client, world, login_as):
    login_as(world["trainee"])
    refused = client.post("/cases/new", data={"client_code": "Jane Doe", "variant": "IPT",
                                              "planned_sessions": 12,
                                              "supervisor_id": world["supervisor"].id})
    assert "pseudonymous code" in refused.get_data(as_text=True)
    created = client.post("/cases/new", data={"client_code": "C-0007", "variant": "IPT",
                                              "planned_sessions": 12,
                                              "supervisor_id": world["supervisor"].id})
    assert created.status_code == 303
    url = created.headers["Location"]
    client.post(url + "/inventory", data={"label": "Husband", "closeness": "inner",
                                          "hard": "Arguments about money"})
    client.post(url + "/timeline", data={"when": "March 2026", "event": "Lost her job",
                                         "mood": "Low from April"})
    client.post(url + "/formulation", data={"problem_areas": ["role-dispute"],
                                            "goals": "Renegotiate", "contract_sessions": 12})
    html = client.get(url).get_data(as_text=True)
    for text in ("Session 0 of 12", "Husband", "Lost her job", "role-dispute",
                 "awaiting the supervisor", "<svg"):
        assert text in html, text
    login_as(world["supervisor"])
    assert client.post(url + "/formulation/approve").status_code == 303
    assert "approved by the supervisor" in client.get(url).get_data(as_text=True)


def test_the_counter_prompts_termination_work(client, world, login_as, make):
    case = make.case(world["org"], world["trainee"], world["supervisor"], planned=4)
    login_as(world["trainee"])
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Session 1 of 4" in html and "3 sessions remain" in html


def test_withdrawing_consent_deletes_the_files_at_once(app, client, world, login_as, make):
    """Issue 19, finding 10: the files stayed on disk until the next purge."""
    case = make.case(world["org"], world["trainee"], world["supervisor"])
    recording = make.recording(case.sessions[0], world["trainee"])
    file = path_of(recording)
    assert file.exists()
    login_as(world["trainee"])
    assert client.post(f"/cases/{case.id}/consent", data={}).status_code == 303
    assert not file.exists()
    db.session.expire_all()
    assert db.session.get(Recording, recording.id).deleted_at is not None
    login_as(world["supervisor"])
    assert client.get(f"/cases/sessions/{case.sessions[0].id}/recording").status_code == 404
    result = app.test_cli_runner().invoke(args=["recordings", "purge"])
    assert result.exit_code == 0 and "0 recording(s) deleted." in result.output


def test_purge_removes_files_that_no_row_names(app, world, make):
    """Issue 19, finding 10: files of a case deleted with its rows stayed on disk."""
    import os
    import time

    from sqlalchemy import delete

    case = make.case(world["org"], world["trainee"], world["supervisor"])
    other = make.case(world["org"], world["trainee"], world["supervisor"], code="C-0002")
    kept = path_of(make.recording(other.sessions[0], world["trainee"]))
    gone = path_of(make.recording(case.sessions[0], world["trainee"]))
    db.session.execute(delete(Recording).where(Recording.storage_name == gone.name))
    db.session.commit()
    fresh = gone.with_name("an-upload-being-written")
    fresh.write_bytes(b"RIFF")
    hour_ago = time.time() - 3700
    os.utime(gone, (hour_ago, hour_ago))
    os.utime(kept, (hour_ago, hour_ago))
    result = app.test_cli_runner().invoke(args=["recordings", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 file(s) that no recording names deleted." in result.output
    assert not gone.exists() and kept.exists() and fresh.exists()


def test_recording_files_are_readable_by_the_app_only(world, make):
    case = make.case(world["org"], world["trainee"], world["supervisor"])
    file = path_of(make.recording(case.sessions[0], world["trainee"]))
    assert file.stat().st_mode & 0o777 == 0o600
    assert file.parent.stat().st_mode & 0o077 == 0


def test_retention_deletes_recordings_some_days_after_their_rating(app, world, make):
    from tests.factories import good_rating
    from trainer.cases.recordings import purge
    from trainer.content.models import RatingScale
    from trainer.supervision.services import draft_rating, submit_rating

    case = make.case(world["org"], world["trainee"], world["supervisor"])
    session = case.sessions[0]
    make.recording(session, world["trainee"])
    scale = db.session.scalar(select(RatingScale))
    rating = draft_rating(world["supervisor"], session, "formative", scale)
    submit_rating(world["supervisor"], rating, good_rating(scale.data, "initial", 4))
    db.session.commit()
    assert purge() == []
    later = utcnow() + timedelta(days=app.config["RECORDING_RETENTION_DAYS"] + 1)
    assert len(purge(now=later)) == 1


def test_draw_is_random_across_phases_once_and_drawn_sessions_lead_the_queue(
        client, world, login_as, make):
    from datetime import date

    from trainer.cases.services import log_session

    case = make.case(world["org"], world["trainee"], world["supervisor"])
    for number, phase in [(2, "middle"), (3, "middle"), (4, "termination")]:
        log_session(world["trainee"], case, {"number": number, "date": date(2026, 11, number),
                                             "phase": phase})
    db.session.commit()
    for session in case.sessions:
        make.recording(session, world["trainee"])
    login_as(world["trainee"])
    assert client.post(f"/cases/{case.id}/draw").status_code == 403
    login_as(world["supervisor"])
    assert client.post(f"/cases/{case.id}/draw").status_code == 303
    drawn = db.session.scalars(select(SummativeDraw.session_id)).all()
    phases = {s.phase for s in case.sessions if s.id in drawn}
    assert len(drawn) == 3 and phases == {"initial", "middle", "termination"}
    client.post(f"/cases/{case.id}/draw")
    assert len(db.session.scalars(select(SummativeDraw)).all()) == 3
    queue = client.get("/supervision/queue").get_data(as_text=True)
    assert queue.count("drawn: summative") == 3
    assert queue.index("drawn: summative") < queue.index("Rate<span")


def test_supervisor_confirms_a_meeting_and_signs_off(client, world, login_as, make):
    case = make.case(world["org"], world["trainee"], world["supervisor"])
    login_as(world["trainee"])
    client.post(f"/cases/{case.id}/meetings", data={"date": "2026-11-05", "minutes": "60"})
    login_as(world["supervisor"])
    from trainer.cases.models import SupervisionMeeting

    meeting = db.session.scalar(select(SupervisionMeeting))
    assert meeting.confirmed_at is None
    client.post(f"/cases/meetings/{meeting.id}/confirm",
                data={"notes_actions": "Role-play the talk with her husband"})
    client.post(f"/cases/{case.id}/sign-off", data={"outcome": "completed",
                                                    "note": "Good work"})
    login_as(world["trainee"])
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Role-play the talk with her husband" in html and "Signed off as completed" in html
    db.session.expire_all()
    assert db.session.get(TrainingCase, case.id).status == "completed"


def test_group_case_members_and_attendance(client, world, login_as):
    login_as(world["trainee"])
    created = client.post("/cases/new", data={"client_code": "G-01", "variant": "group-IPT",
                                              "planned_sessions": 8,
                                              "supervisor_id": world["supervisor"].id})
    url = created.headers["Location"]
    client.post(url + "/members", data={"code": "M-1", "problem_area": "grief"})
    client.post(url + "/members", data={"code": "Anna Berg", "problem_area": "grief"})
    client.post(url + "/sessions/new", data={"number": 1, "date": "2026-11-02",
                                             "phase": "pre-group"})
    html = client.get(url).get_data(as_text=True)
    assert "M-1" in html and "Anna Berg" not in html
    from trainer.cases.models import CaseSession, GroupAttendance, GroupMember

    session = db.session.scalar(select(CaseSession))
    member = db.session.scalar(select(GroupMember))
    client.post(f"/cases/sessions/{session.id}/attendance",
                data={f"member-{member.id}": "1", f"present-{member.id}": "1",
                      f"phq9-{member.id}": "12"})
    row = db.session.scalar(select(GroupAttendance))
    assert row.present and row.measures == {"phq9": 12}


def test_case_page_charts_measures_with_a_table_alternative(client, world, login_as, make):
    case = make.case(world["org"], world["trainee"], world["supervisor"])
    login_as(world["trainee"])
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'class="chart-data"' in html and "PHQ-9" in html
    assert "/static/vendor/plotly.min.js" in html
    js = client.get("/static/vendor/plotly.min.js")
    assert js.status_code == 200 and js.mimetype == "text/javascript"
    js.close()


def test_a_supervisor_corrects_a_rating_and_the_old_one_is_kept(client, world, login_as,
                                                                 make):
    from tests.factories import good_rating
    from trainer.content.models import RatingScale
    from trainer.supervision.models import SessionRating
    from trainer.supervision.services import draft_rating, submit_rating

    case = make.case(world["org"], world["trainee"], world["supervisor"])
    scale = db.session.scalar(select(RatingScale))
    rating = draft_rating(world["supervisor"], case.sessions[0], "formative", scale)
    submit_rating(world["supervisor"], rating, good_rating(scale.data, "initial", 4))
    db.session.commit()
    login_as(world["supervisor"])
    form = {f"item-{k}": "2" for k in good_rating(scale.data, "initial")["items"]}
    form.update({"action": "submit", "global": "2", "purpose": "formative"})
    refused = client.post(f"/supervision/ratings/{rating.id}/correct", data=form)
    assert "Say why" in refused.get_data(as_text=True)
    done = client.post(f"/supervision/ratings/{rating.id}/correct",
                       data={**form, "reason": "Misheard the session"})
    assert done.status_code == 303
    statuses = sorted(r.status for r in db.session.scalars(select(SessionRating)))
    assert statuses == ["submitted", "superseded"]


def test_a_replacement_that_rolls_back_keeps_the_old_file(world, make):
    from tests.factories import TONE
    from trainer.cases.recordings import store_recording

    case = make.case(world["org"], world["trainee"], world["supervisor"])
    old = path_of(make.recording(case.sessions[0], world["trainee"]))
    with TONE.open("rb") as stream:
        store_recording(world["trainee"], case.sessions[0], stream, consent=True)
    db.session.rollback()
    assert old.exists()
    db.session.expire_all()
    assert path_of(db.session.get(TrainingCase, case.id).sessions[0].recording) == old
