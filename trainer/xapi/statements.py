"""xAPI 1.0.3 statements for module checks, vignette attempts and session ratings.

Pure functions over plain event dicts (as the export's query reads them) and the site's base
URL. The actor is always an `account` on the site (`user-<id>`), never an e-mail address, and
statement ids are name-based UUIDs, so exporting the same record twice gives the same id.
"""

import json
import math
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

XAPI_VERSION = "1.0.3"
PLATFORM = "IPT Trainer"
LANGUAGE = "en-US"

ADL_VERB = "http://adlnet.gov/expapi/verbs/"
VERBS = {name: ADL_VERB + name for name in
         ("attempted", "passed", "failed", "scored", "completed")}

ADL_ACTIVITY = "http://adlnet.gov/expapi/activities/"
ASSESSMENT = ADL_ACTIVITY + "assessment"
SIMULATION = ADL_ACTIVITY + "simulation"
PERFORMANCE = ADL_ACTIVITY + "performance"

VIGNETTE_VERBS = {"passed": "passed", "failed": "failed", "pending": "attempted"}


# --- builders ----------------------------------------------------------------------------


def module_check_statement(event: dict, base_url: str) -> dict:
    """A module knowledge check as `passed` or `failed`, scored right of questions."""
    base = _base(base_url)
    score = _score(event["score"], event["right"], 0, event["questions"])
    return _statement(
        base,
        name=f"module-attempt:{event['id']}",
        actor=_agent(base, event["user_id"]),
        verb="passed" if event["passed"] else "failed",
        object_=_activity(base, f"modules/{_segment(event['module_id'])}", ASSESSMENT,
                          event["module_title"] or event["module_id"]),
        result={"score": score, "success": bool(event["passed"]), "completion": True},
        context=_context(base, event["organisation_slug"], revision=event["module_version"]),
        timestamp=event["timestamp"],
    )


def vignette_attempt_statement(event: dict, base_url: str) -> dict:
    """A vignette attempt as `passed` or `failed`, or `attempted` while a stage awaits rating."""
    base = _base(base_url)
    if event["status"] not in VIGNETTE_VERBS:
        raise ValueError(f"unknown vignette attempt status {event['status']!r}")
    return _statement(
        base,
        # The status is part of the name: a pending attempt rated later is a new statement
        # (attempted, then passed), as an LRS refuses a changed statement under an old id.
        name=f"vignette-attempt:{event['id']}:{event['status']}",
        actor=_agent(base, event["user_id"]),
        verb=VIGNETTE_VERBS[event["status"]],
        object_=_activity(base, f"vignettes/{_segment(event['vignette_id'])}", SIMULATION,
                          event["vignette_title"] or event["vignette_id"]),
        result=_vignette_result(event),
        context=_context(base, event["organisation_slug"], revision=event["vignette_version"]),
        timestamp=event["timestamp"],
    )


def session_rating_statement(event: dict, base_url: str) -> dict:
    """A supervisor's rating of a trainee's session as `scored`, the rater as instructor."""
    base = _base(base_url)
    lo, hi = event["scale_min"], event["scale_max"]
    scaled = _scaled(event["mean"], lo, hi)
    path = f"sessions/{_segment(event['case_code'])}/{_segment(event['session_number'])}"
    name = f"Session {event['session_number']} of case {event['case_code']}"
    return _statement(
        base,
        name=f"session-rating:{event['id']}",
        actor=_agent(base, event["trainee_id"]),
        verb="scored",
        object_=_activity(base, path, PERFORMANCE, name),
        result={"score": _score(scaled, event["mean"], lo, hi),
                "success": bool(event["competent"]), "completion": True},
        context=_rating_context(base, event),
        timestamp=event["timestamp"],
    )


def to_json_lines(statements) -> str:
    """One compact JSON object per line, each line ending in a newline (JSON Lines)."""
    return "".join(
        json.dumps(statement, separators=(",", ":"), ensure_ascii=False) + "\n"
        for statement in statements
    )


# --- parts -------------------------------------------------------------------------------


def _statement(base: str, *, name: str, actor: dict, verb: str, object_: dict, result: dict,
               context: dict, timestamp: datetime) -> dict:
    return {
        "id": _statement_id(base, name),
        "actor": actor,
        "verb": {"id": VERBS[verb], "display": {LANGUAGE: verb}},
        "object": object_,
        "result": result,
        "context": context,
        "timestamp": _timestamp(timestamp),
        "version": XAPI_VERSION,
    }


def _statement_id(base: str, name: str) -> str:
    """uuid5 in a namespace of the site, so two deployments never share a statement id."""
    return str(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, base), name))


def _agent(base: str, user_id: int) -> dict:
    return {"objectType": "Agent", "account": {"homePage": base, "name": f"user-{user_id}"}}


def _activity(base: str, path: str, activity_type: str, name: str) -> dict:
    return {
        "objectType": "Activity",
        "id": f"{base}/{path}",
        "definition": {"name": {LANGUAGE: str(name)}, "type": activity_type},
    }


def _context(base: str, organisation_slug: str, revision: int | None = None) -> dict:
    organisation = {"objectType": "Activity",
                    "id": f"{base}/issuers/{_segment(organisation_slug)}"}
    context = {"platform": PLATFORM, "contextActivities": {"grouping": [organisation]}}
    if revision is not None:
        context["revision"] = str(revision)
    return context


def _rating_context(base: str, event: dict) -> dict:
    context = _context(base, event["organisation_slug"])
    # A self-rating has no instructor: the trainee is already the actor.
    if event["rater_id"] != event["trainee_id"]:
        context["instructor"] = _agent(base, event["rater_id"])
    context["extensions"] = {
        f"{base}/xapi/extensions/purpose": event["purpose"],
        f"{base}/xapi/extensions/phase": event["phase"],
    }
    return context


def _vignette_result(event: dict) -> dict:
    result = {"completion": True}
    if event["score"] is not None:
        result["score"] = _score(event["score"], event["score"], 0, 1)
    if event["status"] != "pending":
        result["success"] = event["status"] == "passed"
    return result


# --- values ------------------------------------------------------------------------------


def _score(scaled: float, raw: float, lo: float, hi: float) -> dict:
    """A result score, refused unless min < max, min <= raw <= max and -1 <= scaled <= 1."""
    if not all(math.isfinite(value) for value in (scaled, raw, lo, hi)):
        raise ValueError("score values must be finite numbers")
    if not lo < hi:
        raise ValueError(f"score max {hi} must be greater than min {lo}")
    if not lo <= raw <= hi:
        raise ValueError(f"raw score {raw} is outside [{lo}, {hi}]")
    if not -1 <= scaled <= 1:
        raise ValueError(f"scaled score {scaled} is outside [-1, 1]")
    return {"scaled": scaled, "raw": raw, "min": lo, "max": hi}


def _scaled(value: float, lo: float, hi: float) -> float:
    """Where value lies between min and max, as a fraction rounded to 4 places."""
    if not lo < hi:
        raise ValueError(f"scale max {hi} must be greater than min {lo}")
    return round((value - lo) / (hi - lo), 4)


def _timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC to the millisecond; a naive time is refused, its zone unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamp must be timezone-aware")
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z"


def _base(base_url: str) -> str:
    return base_url.rstrip("/")


def _segment(value: object) -> str:
    """One path segment of an activity IRI, percent-encoded so it cannot add a level."""
    return quote(str(value), safe="")
