"""The shipped rating scales: every anchor described, shown on every score control, and the
formulation item N/A before the session that plans it."""

from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.factories import good_rating
from trainer.cases.services import log_session
from trainer.content.rules import scale_rules
from trainer.extensions import db
from trainer.supervision.scales import score_labels
from trainer.supervision.services import draft_rating, submit_rating

SCALES = Path(__file__).resolve().parents[2] / "curriculum" / "scales"
SHIPPED = sorted(SCALES.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_item_describes_every_anchor(path):
    scale = yaml.safe_load(path.read_text())
    for item in scale["items"]:
        assert sorted(item["anchors"]) == list(range(scale["min"], scale["max"] + 1)), item["id"]
        assert all(text.strip() for text in item["anchors"].values()), item["id"]
    assert scale_rules(scale, SCALES) == []


def test_scale_rules_name_a_missing_and_an_outside_anchor():
    scale = yaml.safe_load((SCALES / "ipt-session-quality.yaml").read_text())
    item = scale["items"][0]
    del item["anchors"][2]
    item["anchors"][7] = "Beyond the range"
    assert sorted(scale_rules(scale, SCALES)) == [
        (f"items.{item['id']}.anchors", "describe every score from 1 to 5; missing 2"),
        (f"items.{item['id']}.anchors.7", "outside the scale's range 1..5")]


SCALE = {"min": 1, "max": 3, "anchors": {"1": "Absent", "2": "Some", "3": "Full"}}


@pytest.mark.parametrize("item, expected", [
    (None, [(1, "Absent"), (2, "Some"), (3, "Full")]),
    ({"anchors": {1: "Nothing.", 2: "Half.", 3: "All."}},
     [(1, "Absent: Nothing."), (2, "Some: Half."), (3, "Full: All.")]),
    ({"anchors": {"2": "Half."}}, [(1, "Absent"), (2, "Some: Half."), (3, "Full")]),
])
def test_score_labels_give_the_anchor_words_whatever_the_key_type(item, expected):
    assert score_labels(SCALE, item) == expected
    assert score_labels({**SCALE, "anchors": {1: "Absent", 2: "Some", 3: "Full"}},
                        item) == expected


@pytest.fixture
def world(make, token_for):
    org = make.org()
    trainee = make.user(org=org, role="trainee")
    supervisor = make.user(org=org, role="supervisor")
    admin = make.user(org=org, role="admin")
    make.assign(org, supervisor, trainee)
    scale = make.scale()
    case = make.case(org, trainee, supervisor)
    make.recording(case.sessions[0], trainee)
    return {"org": org, "trainee": trainee, "supervisor": supervisor, "admin": admin,
            "scale": scale, "case": case, "sup": token_for(supervisor)}


def option_words(scale: dict, item_id: str, score: int) -> str:
    item = next(i for i in scale["items"] if i["id"] == item_id)
    return f"{score}: {scale['anchors'][score]}: {item['anchors'][score]}"


def test_a_fully_adherent_session_two_passes_with_the_formulation_not_yet_due(client, world):
    session = log_session(world["trainee"], world["case"],
                          {"number": 2, "date": date(2026, 11, 9), "phase": "initial"})
    db.session.commit()
    body = good_rating(world["scale"].data, "initial", 4)
    body["items"]["initial-formulation-contract"] = None
    response = client.post(f"/api/v1/sessions/{session.id}/ratings", headers=world["sup"],
                           json={"scale_id": "ipt-session-quality", "purpose": "formative",
                                 **body})
    assert response.status_code == 201
    assert (response.get_json()["competent"], response.get_json()["mean"]) == (True, 4.0)


def test_the_formulation_guidance_allows_na_before_the_planned_session():
    scale = yaml.safe_load((SCALES / "ipt-session-quality.yaml").read_text())
    item = next(i for i in scale["items"] if i["id"] == "initial-formulation-contract")
    assert item["na_allowed"] is True and "initial" in item["phases"]
    assert "before the one in which\nthe formulation is planned" in item["guidance"]


def test_the_rating_page_shows_each_anchors_words(client, world, login_as):
    shipped = yaml.safe_load((SCALES / "ipt-session-quality.yaml").read_text())
    login_as(world["supervisor"])
    html = client.get(f"/supervision/sessions/{world['case'].sessions[0].id}/rate") \
        .get_data(as_text=True)
    for score in range(1, 6):
        assert option_words(shipped, "mood-events-review", score).replace("'", "&#39;") \
            .replace('"', "&#34;") in html
        assert f'<option value="{score}">{score}: {shipped["anchors"][score]}</option>' in html
    assert '">1: </option>' not in html


def test_gold_standard_and_second_rating_pages_show_each_anchors_words(client, world, make,
                                                                        login_as):
    shipped = yaml.safe_load((SCALES / "ipt-session-quality.yaml").read_text())
    gold = make.gold(world["org"], world["admin"], 3, phase="middle")
    session, scale, supervisor = world["case"].sessions[0], world["scale"], world["supervisor"]
    rating = submit_rating(supervisor, draft_rating(supervisor, session, "formative", scale),
                           good_rating(scale.data, "initial"))
    db.session.commit()
    second_rater = make.user(org=world["org"], role="supervisor")
    draw = make.double_rating(world["org"], rating.id, second_rater)
    login_as(second_rater)
    pages = {"gold": client.get(f"/calibration/gold/{gold.id}/rate"),
             "second": client.get(f"/calibration/second/{draw.id}")}
    for page in pages.values():
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and '">1: </option>' not in html
        assert option_words(shipped, "stance-alliance", 2) in html
        assert f'<option value="3">3: {shipped["anchors"][3]}</option>' in html
