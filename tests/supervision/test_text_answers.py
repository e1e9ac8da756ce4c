"""Supervisors rate written vignette answers; the attempt leaves `pending`."""

from sqlalchemy import select

from trainer.extensions import db
from trainer.vignettes.models import VignetteAttempt
from trainer.vignettes.services import create_attempt


def test_supervisor_rates_a_written_answer_and_the_attempt_is_decided(client, make, login_as,
                                                                      token_for):
    org = make.org()
    trainee = make.user(org=org, role="trainee")
    supervisor = make.user(org=org, role="supervisor")
    make.assign(org, supervisor, trainee)
    vignette = make.vignette("vig-a")
    attempt = create_attempt(trainee, org.id, vignette, {
        "focus": ["grief"], "risk": ["ask", "plan"], "reflect": "Mood fell after the death."},
        None)
    db.session.commit()
    assert attempt.status == "pending"
    login_as(supervisor)
    assert "Vignette vig-a" in client.get("/supervision/text-answers").get_data(as_text=True)
    page = client.get(f"/supervision/text-answers/{attempt.id}").get_data(as_text=True)
    assert "Mood fell after the death." in page and "Link the death to the mood" in page
    refused = client.post(f"/supervision/text-answers/{attempt.id}", data={})
    assert "Pick a level." in refused.get_data(as_text=True)
    done = client.post(f"/supervision/text-answers/{attempt.id}", data={"level-reflect": "1"})
    assert done.status_code == 303
    db.session.expire_all()
    rated = db.session.scalar(select(VignetteAttempt))
    assert (rated.status, rated.provisional, rated.score) == ("passed", False, 0.8333)
    body = client.get(f"/api/v1/attempts/{attempt.id}",
                      headers=token_for(trainee)).get_json()
    text_stage = body["stages"][2]
    assert text_stage["level"] == 1 and text_stage["score"] == 0.5
    assert "Vignette vig-a" not in client.get("/supervision/text-answers").get_data(as_text=True)


def test_another_supervisor_cannot_rate_it(client, make, login_as):
    org = make.org()
    trainee = make.user(org=org, role="trainee")
    vignette = make.vignette("vig-a")
    attempt = create_attempt(trainee, org.id, vignette, {
        "focus": ["grief"], "risk": ["ask"], "reflect": "Text."}, None)
    db.session.commit()
    login_as(make.user(org=org, role="supervisor"))
    assert client.get(f"/supervision/text-answers/{attempt.id}").status_code == 404
