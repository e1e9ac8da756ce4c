"""Gold standards, blind rating, calibration status, and what it changes for eligibility."""

import io

import pytest
from sqlalchemy import select

from tests.factories import TONE, good_rating
from trainer.calibration.models import GoldStandard
from trainer.calibration.services import calibrations, rate_gold
from trainer.calibration.status import calibrated_rater_ids
from trainer.extensions import db


@pytest.fixture
def world(make):
    org = make.org()
    admin = make.user(org=org, role="admin")
    close = make.user(org=org, role="supervisor", name="Close Rater")
    far = make.user(org=org, role="supervisor", name="Far Rater")
    make.scale()
    golds = [make.gold(org, admin, score, title=f"Gold {score}") for score in (2, 3, 5)]
    return {"org": org, "admin": admin, "close": close, "far": far, "golds": golds}


def rate_all(world, rater, shift):
    for gold in world["golds"]:
        answers = {k: max(1, min(5, v + shift)) if v is not None else None
                   for k, v in gold.consensus_items.items()}
        rate_gold(rater, world["org"].id, gold, answers, gold.consensus_global)
    db.session.commit()


def test_close_rater_is_calibrated_and_far_rater_is_not(world):
    rate_all(world, world["close"], 0)
    rate_all(world, world["far"], 2)
    standing = calibrations([world["close"].id, world["far"].id], world["org"].id)
    assert standing[world["close"].id].calibrated is True
    assert standing[world["far"].id].calibrated is False
    assert any(reason.startswith("bias") for reason in standing[world["far"].id].reasons)
    assert calibrated_rater_ids(world["org"].id) == {world["close"].id}


def test_fewer_than_three_recordings_is_not_calibrated(world):
    gold = world["golds"][0]
    rate_gold(world["close"], world["org"].id, gold, gold.consensus_items,
              gold.consensus_global)
    db.session.commit()
    standing = calibrations([world["close"].id], world["org"].id)[world["close"].id]
    assert not standing.calibrated
    assert "3 gold-standard recordings needed, 1 rated" in standing.reasons


def test_rating_is_blind_until_submitted(client, world, login_as):
    login_as(world["close"])
    gold = world["golds"][0]
    assert client.get(f"/calibration/gold/{gold.id}/result").status_code == 302
    page = client.get(f"/calibration/gold/{gold.id}/rate").get_data(as_text=True)
    assert "Consensus" not in page
    form = {f"item-{k}": str(v) for k, v in gold.consensus_items.items() if v is not None}
    form["global"] = str(gold.consensus_global)
    done = client.post(f"/calibration/gold/{gold.id}/rate", data=form)
    assert done.status_code == 303
    result = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Consensus" in result and "ICC(2,1)" in result
    assert client.get(f"/calibration/gold/{gold.id}/rate").status_code == 302


def test_admin_adds_a_gold_standard_only_with_teaching_consent(client, world, login_as):
    from trainer.content.models import RatingScale

    login_as(world["admin"])
    scale = db.session.scalar(select(RatingScale))
    form = {f"item-{k}": "3" for k in good_rating(scale.data, "middle")["items"]}
    form.update({"global": "3", "title": "A middling session", "phase": "middle"})
    refused = client.post("/calibration/new?phase=middle",
                          data={**form, "file": (io.BytesIO(TONE.read_bytes()), "g.wav")},
                          content_type="multipart/form-data")
    assert "consent to teaching" in refused.get_data(as_text=True)
    added = client.post("/calibration/new?phase=middle",
                        data={**form, "teaching_consent": "1",
                              "file": (io.BytesIO(TONE.read_bytes()), "g.wav")},
                        content_type="multipart/form-data")
    assert added.status_code == 303
    assert db.session.scalar(select(GoldStandard).where(
        GoldStandard.title == "A middling session")) is not None


def test_admin_sees_both_supervisors_and_sets_thresholds(client, world, login_as):
    rate_all(world, world["close"], 0)
    rate_all(world, world["far"], 2)
    login_as(world["admin"])
    html = client.get("/calibration/").get_data(as_text=True)
    assert html.count("badge-ok\">calibrated") == 1 and "Far Rater" in html
    client.post("/calibration/settings", data={"icc": "0.7", "within_one": "0.8", "bias": "3",
                                               "min_recordings": "3", "lapse_months": "12"})
    client.post("/calibration/settings", data={"icc": "0.1", "within_one": "0.1", "bias": "3",
                                               "min_recordings": "3", "lapse_months": "12"})
    assert calibrated_rater_ids(world["org"].id) == {world["close"].id, world["far"].id}


def test_a_share_of_ratings_is_drawn_for_a_blind_second_rating(client, world, make, login_as):
    from trainer.calibration.models import CalibrationSettings, DoubleRating
    from trainer.supervision.services import draft_rating, draw_sessions, submit_rating

    rate_all(world, world["close"], 0)  # the only calibrated supervisor
    db.session.add(CalibrationSettings(organisation_id=world["org"].id, double_share=1.0))
    trainee = make.user(org=world["org"], role="trainee")
    first = make.user(org=world["org"], role="supervisor")
    make.assign(world["org"], first, trainee)
    case = make.case(world["org"], trainee, first)
    make.recording(case.sessions[0], trainee)
    draw_sessions(first, case)
    scale = world["golds"][0].scale
    rating = draft_rating(first, case.sessions[0], "summative", scale)
    submit_rating(first, rating, good_rating(scale.data, "initial", 4))
    db.session.commit()
    draw = db.session.scalar(select(DoubleRating))
    assert draw is not None and draw.second_rater_id == world["close"].id
    login_as(world["far"])
    assert client.get(f"/calibration/second/{draw.id}").status_code == 404
    login_as(world["close"])
    page = client.get(f"/calibration/second/{draw.id}").get_data(as_text=True)
    assert "Blind second rating" in page and first.name not in page
    form = {f"item-{k}": "3" for k in good_rating(scale.data, "initial")["items"]}
    form["global"] = "3"
    assert client.post(f"/calibration/second/{draw.id}", data=form).status_code == 303
    login_as(world["admin"])
    html = client.get("/calibration/").get_data(as_text=True)
    assert "1 sessions double-rated" in html and "Items that disagree most" in html


def test_platform_admin_adds_a_gold_standard_every_organisation_sees(client, world, make,
                                                                      login_as):
    from trainer.content.models import RatingScale

    platform_admin = make.user(is_platform_admin=True)
    login_as(platform_admin)
    assert "None yet" in client.get("/org/platform").get_data(as_text=True)
    scale = db.session.scalar(select(RatingScale))
    form = {f"item-{k}": "4" for k in good_rating(scale.data, "middle")["items"]}
    form.update({"global": "4", "title": "Shared exemplar", "phase": "middle",
                 "teaching_consent": "1",
                 "file": (io.BytesIO(TONE.read_bytes()), "g.wav")})
    added = client.post("/calibration/platform/new?phase=middle", data=form,
                        content_type="multipart/form-data")
    assert added.status_code == 303
    listing = client.get("/org/platform").get_data(as_text=True)
    assert "<td>Shared exemplar</td><td>middle</td>" in listing
    other_org = make.org()
    login_as(make.user(org=other_org, role="supervisor"))
    assert "Shared exemplar" in client.get("/calibration/").get_data(as_text=True)


def test_admin_sees_supervisors_compared_with_each_other_per_gold_standard(client, world, make,
                                                                          login_as):
    from trainer.calibration.stats import agreement, pairwise_agreement
    from trainer.supervision.scales import applicable_items

    gold, lone = world["golds"][1], world["golds"][2]
    keys = [i["id"] for i in applicable_items(gold.scale.data, gold.phase)]
    close = {k: 3 + n % 2 for n, k in enumerate(keys)}
    far = {k: 1 + (n % 3) * 2 for n, k in enumerate(keys)}
    for rater, items in ((world["close"], close), (world["far"], far)):
        rate_gold(rater, world["org"].id, gold, items, 3)
    rate_gold(world["close"], world["org"].id, lone, lone.consensus_items, 5)
    db.session.commit()
    login_as(world["admin"])
    html = client.get("/calibration/").get_data(as_text=True)
    [pair] = pairwise_agreement({"close": close, "far": far})
    row = html[html.index("Close Rater and Far Rater"):]
    row = row[:row.index("</tr>")]
    assert f"ICC(2,1) {pair.icc:.2f} · within one point {pair.within_one * 100:.0f}%" in row
    far_alone = agreement([(far, gold.consensus_items)])
    assert f"within one point {far_alone.within_one * 100:.0f}%" in row
    assert f"{gold.title} ({gold.phase}), rated by 2 supervisors" in html
    assert f"{lone.title} ({lone.phase}), rated by" not in html


def test_the_comparison_says_what_to_do_while_no_gold_has_two_raters(client, world, login_as):
    login_as(world["admin"])
    html = client.get("/calibration/").get_data(as_text=True)
    assert "No gold-standard recording has been rated by two supervisors yet" in html
