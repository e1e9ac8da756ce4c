"""xAPI statement builders, checked by hand and by ralph's independent xAPI 1.0.3 model."""

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

from trainer.xapi.statements import (
    module_check_statement,
    session_rating_statement,
    to_json_lines,
    vignette_attempt_statement,
)

BASE = "https://trainer.example.org"
WHEN = datetime(2025, 3, 14, 9, 26, 53, 589_000, tzinfo=UTC)
ADL = "http://adlnet.gov/expapi/verbs/"


def module_event(**changes) -> dict:
    event = {
        "id": 41, "user_id": 7, "organisation_slug": "north-clinic", "module_id": "ipt-intro",
        "module_title": "Introduction to IPT", "module_version": 3, "score": 0.8,
        "passed": True, "pass_mark": 0.7, "questions": 10, "right": 8, "timestamp": WHEN,
    }
    return event | changes


def vignette_event(**changes) -> dict:
    event = {
        "id": 52, "user_id": 7, "organisation_slug": "north-clinic",
        "vignette_id": "grief-initial", "vignette_title": "Grief: the initial phase",
        "vignette_version": 2, "score": 0.75, "status": "passed", "timestamp": WHEN,
    }
    return event | changes


def rating_event(**changes) -> dict:
    event = {
        "id": 63, "trainee_id": 7, "rater_id": 9, "organisation_slug": "north-clinic",
        "case_code": "C-0412", "session_number": 5, "phase": "middle", "purpose": "summative",
        "mean": 4.5, "scale_min": 1, "scale_max": 7, "competent": True, "timestamp": WHEN,
    }
    return event | changes


def all_statements() -> list[dict]:
    return [
        module_check_statement(module_event(), BASE),
        module_check_statement(module_event(id=42, passed=False, score=0.5, right=5), BASE),
        vignette_attempt_statement(vignette_event(), BASE),
        vignette_attempt_statement(vignette_event(id=53, status="failed", score=0.4), BASE),
        vignette_attempt_statement(vignette_event(id=54, status="pending", score=0.6), BASE),
        vignette_attempt_statement(vignette_event(id=55, status="pending", score=None), BASE),
        session_rating_statement(rating_event(), BASE),
        session_rating_statement(rating_event(id=64, mean=2.0, competent=False), BASE),
        session_rating_statement(rating_event(id=65, rater_id=7, purpose="self"), BASE),
    ]


KINDS = ["module-passed", "module-failed", "vignette-passed", "vignette-failed",
         "vignette-pending-scored", "vignette-pending-unscored", "rating-competent",
         "rating-not-competent", "rating-self"]


def ralph_validate(statement: dict) -> BaseXapiStatement:
    return BaseXapiStatement.model_validate(statement)


# --- module checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "verb", "success", "score"),
    [
        ({}, "passed", True, {"scaled": 0.8, "raw": 8, "min": 0, "max": 10}),
        ({"passed": False, "score": 0.5, "right": 5}, "failed", False,
         {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}),
        ({"passed": False, "score": 0.0, "right": 0}, "failed", False,
         {"scaled": 0.0, "raw": 0, "min": 0, "max": 10}),
        ({"score": 1.0, "right": 10}, "passed", True,
         {"scaled": 1.0, "raw": 10, "min": 0, "max": 10}),
    ],
)
def test_module_check_statement_has_verb_and_score(changes, verb, success, score):
    statement = module_check_statement(module_event(**changes), BASE)
    assert statement["verb"] == {"id": ADL + verb, "display": {"en-US": verb}}
    assert statement["result"] == {"score": score, "success": success, "completion": True}
    ralph_validate(statement)


def test_module_check_statement_names_module_organisation_and_version():
    statement = module_check_statement(module_event(), BASE)
    assert statement["object"] == {
        "objectType": "Activity",
        "id": f"{BASE}/modules/ipt-intro",
        "definition": {"name": {"en-US": "Introduction to IPT"},
                       "type": "http://adlnet.gov/expapi/activities/assessment"},
    }
    assert statement["context"] == {
        "platform": "IPT Trainer",
        "revision": "3",
        "contextActivities": {"grouping": [
            {"objectType": "Activity", "id": f"{BASE}/issuers/north-clinic"}]},
    }
    assert statement["timestamp"] == "2025-03-14T09:26:53.589Z"
    assert statement["version"] == "1.0.3"


# --- vignette attempts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "verb", "result"),
    [
        ({}, "passed", {"completion": True, "success": True,
                        "score": {"scaled": 0.75, "raw": 0.75, "min": 0, "max": 1}}),
        ({"status": "failed", "score": 0.4}, "failed",
         {"completion": True, "success": False,
          "score": {"scaled": 0.4, "raw": 0.4, "min": 0, "max": 1}}),
        ({"status": "failed", "score": 0.0}, "failed",
         {"completion": True, "success": False,
          "score": {"scaled": 0.0, "raw": 0.0, "min": 0, "max": 1}}),
        ({"status": "pending", "score": 0.6}, "attempted",
         {"completion": True, "score": {"scaled": 0.6, "raw": 0.6, "min": 0, "max": 1}}),
        ({"status": "pending", "score": None}, "attempted", {"completion": True}),
    ],
)
def test_vignette_attempt_statement_has_verb_and_result(changes, verb, result):
    statement = vignette_attempt_statement(vignette_event(**changes), BASE)
    assert statement["verb"] == {"id": ADL + verb, "display": {"en-US": verb}}
    assert statement["result"] == result
    ralph_validate(statement)


def test_vignette_attempt_statement_names_vignette_as_simulation():
    statement = vignette_attempt_statement(vignette_event(), BASE)
    assert statement["object"]["id"] == f"{BASE}/vignettes/grief-initial"
    assert statement["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/simulation")
    assert statement["context"]["revision"] == "2"


def test_pending_vignette_attempt_rated_later_gets_a_new_statement_id():
    pending = vignette_attempt_statement(vignette_event(status="pending"), BASE)
    passed = vignette_attempt_statement(vignette_event(status="passed"), BASE)
    assert pending["id"] != passed["id"]


# --- session ratings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "score", "success"),
    [
        ({}, {"scaled": 0.5833, "raw": 4.5, "min": 1, "max": 7}, True),
        ({"mean": 2.0, "competent": False}, {"scaled": 0.1667, "raw": 2.0, "min": 1, "max": 7},
         False),
        ({"mean": 1.0, "competent": False}, {"scaled": 0.0, "raw": 1.0, "min": 1, "max": 7},
         False),
        ({"mean": 7.0}, {"scaled": 1.0, "raw": 7.0, "min": 1, "max": 7}, True),
        ({"mean": 3.0, "scale_min": 0, "scale_max": 6}, {"scaled": 0.5, "raw": 3.0, "min": 0,
                                                        "max": 6}, True),
    ],
)
def test_session_rating_statement_is_scored_on_the_scale(changes, score, success):
    statement = session_rating_statement(rating_event(**changes), BASE)
    assert statement["verb"] == {"id": ADL + "scored", "display": {"en-US": "scored"}}
    assert statement["result"] == {"score": score, "success": success, "completion": True}
    ralph_validate(statement)


def test_session_rating_statement_has_trainee_actor_rater_instructor_and_extensions():
    statement = session_rating_statement(rating_event(), BASE)
    assert statement["actor"]["account"] == {"homePage": BASE, "name": "user-7"}
    assert statement["object"]["id"] == f"{BASE}/sessions/C-0412/5"
    assert statement["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/performance")
    context = statement["context"]
    assert context["instructor"] == {"objectType": "Agent",
                                     "account": {"homePage": BASE, "name": "user-9"}}
    assert context["extensions"] == {f"{BASE}/xapi/extensions/purpose": "summative",
                                     f"{BASE}/xapi/extensions/phase": "middle"}


def test_self_rating_statement_has_no_instructor():
    statement = session_rating_statement(rating_event(rater_id=7, purpose="self"), BASE)
    assert "instructor" not in statement["context"]


# --- every statement --------------------------------------------------------------------


@pytest.mark.parametrize("statement", all_statements(), ids=KINDS)
def test_every_statement_passes_ralphs_xapi_model(statement):
    model = ralph_validate(statement)
    assert model.version == "1.0.3"
    assert str(model.id) == statement["id"]


@pytest.mark.parametrize("statement", all_statements(), ids=KINDS)
def test_every_statement_identifies_people_by_account_never_by_email(statement):
    assert statement["actor"] == {"objectType": "Agent",
                                  "account": {"homePage": BASE, "name": "user-7"}}
    text = json.dumps(statement)
    assert "mbox" not in text
    assert "@" not in text
    assert "mailto" not in text


def test_statement_ids_are_stable_uuid5s_distinct_per_record_kind_and_site():
    ids = [statement["id"] for statement in all_statements()]
    assert ids == [statement["id"] for statement in all_statements()]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(value).version == 5 for value in ids)
    same_number = [module_check_statement(module_event(id=1), BASE)["id"],
                   vignette_attempt_statement(vignette_event(id=1), BASE)["id"],
                   session_rating_statement(rating_event(id=1), BASE)["id"]]
    assert len(set(same_number)) == 3
    other_site = module_check_statement(module_event(), "https://other.example.org")
    assert other_site["id"] != module_check_statement(module_event(), BASE)["id"]


def test_trailing_slash_on_base_url_changes_nothing():
    assert module_check_statement(module_event(), BASE + "/") == (
        module_check_statement(module_event(), BASE))


def test_timestamp_is_converted_to_utc():
    local = WHEN.astimezone(timezone(timedelta(hours=2)))
    statement = vignette_attempt_statement(vignette_event(timestamp=local), BASE)
    assert statement["timestamp"] == "2025-03-14T09:26:53.589Z"


def test_identifier_with_slash_stays_one_path_segment():
    statement = session_rating_statement(rating_event(case_code="C/1"), BASE)
    assert statement["object"]["id"] == f"{BASE}/sessions/C%2F1/5"
    ralph_validate(statement)


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: module_check_statement(module_event(timestamp=WHEN.replace(tzinfo=None)), BASE),
         "timezone-aware"),
        (lambda: module_check_statement(module_event(right=11), BASE), "raw score 11"),
        (lambda: module_check_statement(module_event(questions=0, right=0), BASE),
         "must be greater than min"),
        (lambda: module_check_statement(module_event(score=1.2), BASE), "scaled score 1.2"),
        (lambda: module_check_statement(module_event(score=float("nan")), BASE), "finite"),
        (lambda: vignette_attempt_statement(vignette_event(score=1.5), BASE), "raw score 1.5"),
        (lambda: vignette_attempt_statement(vignette_event(status="draft"), BASE),
         "unknown vignette attempt status"),
        (lambda: session_rating_statement(rating_event(mean=8.0), BASE), "raw score 8.0"),
        (lambda: session_rating_statement(rating_event(mean=0.0), BASE), "raw score 0.0"),
        (lambda: session_rating_statement(rating_event(scale_min=4, scale_max=4), BASE),
         "must be greater than min"),
    ],
)
def test_statement_outside_xapi_rules_is_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_ralph_model_is_live_and_refuses_a_scaled_score_above_one():
    statement = module_check_statement(module_event(), BASE)
    statement["result"]["score"]["scaled"] = 1.5
    with pytest.raises(ValidationError):
        ralph_validate(statement)


# --- JSON lines -------------------------------------------------------------------------


def test_json_lines_has_one_compact_statement_per_line():
    statements = all_statements()
    text = to_json_lines(statements)
    lines = text.split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == statements
    assert lines[0] == json.dumps(statements[0], separators=(",", ":"), ensure_ascii=False)


def test_json_lines_of_nothing_is_empty():
    assert to_json_lines([]) == ""


def test_json_lines_keeps_non_ascii_titles_readable():
    statement = module_check_statement(module_event(module_title="Trauer – Einführung"), BASE)
    assert "Trauer – Einführung" in to_json_lines([statement])
