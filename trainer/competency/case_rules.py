"""Supervised-case requirements: each case's figures against the pathway's per-case rules.

Rules where the spec leaves room:

- A case counts only when `completed`; a discontinued case never counts and is never listed.
- A rating counts (toward rated sessions, competent sessions, the mean and phases) only when it
  is summative AND by a rater calibrated on the default scale AND of a session the platform
  drew at random. Rated sessions are distinct sessions with a counting rating; a session is
  competent when every counting rating of it says competent; the mean is over the counting
  ratings' item means; a phase is covered by a session with a counting rating.
- Per-case requirements (`sessions_min`, `rated_sessions_min`, `competent_sessions_min`,
  `mean_rating_min`, `phases`, `supervision_hours_min`) are each met when at least
  `completed_min` (default 1) completed cases satisfy that one requirement; their details
  list the open and completed cases that fall short.
- `supervised_cases.completed_min` is met when at least `completed_min` completed cases
  satisfy EVERY per-case requirement present: these are the "counted cases".
- `distinct_problem_areas` counts areas across the counted cases; while none counts yet, it
  counts across the completed cases and says so.
- Supervision hours: an individual meeting counts its minutes / 60; a group meeting counts
  (minutes / 60 / group size) x 2.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from trainer.competency.records import (
    PROBLEM_AREAS,
    CaseRecord,
    Meeting,
    Requirement,
    TraineeRecord,
)
from trainer.competency.wording import exact, num, ordered, plural, tally

NO_CASE = "no open or completed case yet"
OPEN = "not yet signed off as completed"
PER_CASE_LABELS = {
    "sessions_min": "sessions",
    "rated_sessions_min": "rated sessions",
    "competent_sessions_min": "competent sessions",
    "mean_rating_min": "mean rating",
    "phases": "rated phases",
    "supervision_hours_min": "supervision hours",
}


@dataclass(frozen=True)
class _CaseFacts:
    """The figures of one case that the per-case requirements look at."""

    code: str
    status: str
    sessions: int
    rated: int
    competent: int
    mean: Fraction | None
    phases: frozenset[str]
    hours: Fraction
    areas: frozenset[str]


def supervised_cases(spec: dict, record: TraineeRecord) -> list[Requirement]:
    """One checklist entry per key of the pathway's `supervised_cases`, in the file's order."""
    unknown = set(spec) - set(PER_CASE_LABELS) - {"completed_min", "distinct_problem_areas"}
    if unknown:
        raise ValueError(f"unknown requirement 'supervised_cases.{sorted(unknown)[0]}'")
    facts = [_facts(case) for case in record.cases if case.status != "discontinued"]
    entries = []
    for key, value in spec.items():
        met, detail = _case_requirement(key, value, spec, facts)
        entries.append(Requirement(f"supervised_cases.{key}", met, detail))
    return entries


def supervision_hours(meetings: Iterable[Meeting]) -> float:
    """Supervision hours: individual minutes / 60; group (minutes / 60 / size) x 2."""
    return float(_hours(meetings))


def _hours(meetings: Iterable[Meeting]) -> Fraction:
    total = Fraction(0)
    for meeting in meetings:
        if meeting.minutes < 0 or (meeting.group_size is not None and meeting.group_size < 1):
            raise ValueError(f"invalid supervision meeting: {meeting}")
        hours = Fraction(meeting.minutes, 60)
        size = meeting.group_size or 1
        total += hours if size == 1 else hours / size * 2
    return total


def _case_requirement(key: str, value: object, spec: dict, facts: list) -> tuple[bool, str]:
    if key == "completed_min":
        return _completed(spec, facts)
    if key == "distinct_problem_areas":
        return _distinct_areas(value, spec, facts)
    return _per_case(key, spec, facts)


def _facts(case: CaseRecord) -> _CaseFacts:
    counting = [r for r in case.ratings if r.summative and r.calibrated_rater and r.drawn]
    sessions = {r.session_number for r in counting}
    failed = {r.session_number for r in counting if not r.competent}
    means = [exact(r.mean) for r in counting]
    return _CaseFacts(
        code=case.code,
        status=case.status,
        sessions=case.sessions_logged,
        rated=len(sessions),
        competent=len(sessions - failed),
        mean=sum(means) / len(means) if means else None,
        phases=frozenset(r.phase for r in counting),
        hours=_hours(case.meetings),
        areas=case.problem_areas,
    )


def _case_check(key: str, facts: _CaseFacts, spec: dict) -> tuple[bool, str]:
    """Whether one case satisfies one per-case requirement, and that case's figures."""
    need = spec[key]
    if key == "mean_rating_min":
        return _mean_check(facts, need)
    if key == "phases":
        return _phases_check(facts, need)
    if key == "supervision_hours_min":
        hours = f"supervision {num(facts.hours)} of {num(need)} hour{plural(need)}"
        return facts.hours >= exact(need), hours
    have, text = {
        "sessions_min": (facts.sessions, f"session{plural(need)}"),
        "rated_sessions_min": (facts.rated, f"rated session{plural(need)}"),
        "competent_sessions_min": (facts.competent, f"rated session{plural(need)} competent"),
    }[key]
    unrated = _unrated(facts, spec.get("phases", ()), ", ") if key == "rated_sessions_min" else ""
    return have >= need, f"{have} of {need} {text}{unrated}"


def _mean_check(facts: _CaseFacts, need: float) -> tuple[bool, str]:
    if facts.mean is None:
        return False, f"no counting rating yet (mean of at least {num(need)} needed)"
    ok = facts.mean >= exact(need)
    return ok, f"mean rating {num(facts.mean)} (at least {num(need)} needed)"


def _phases_check(facts: _CaseFacts, phases: list[str]) -> tuple[bool, str]:
    missing = _unrated(facts, phases, "")
    if missing:
        return False, missing
    return True, f"{', '.join(phases)} phase{plural(len(phases))} rated"


def _unrated(facts: _CaseFacts, phases: Iterable[str], prefix: str) -> str:
    missing = [phase for phase in phases if phase not in facts.phases]
    if not missing:
        return ""
    return f"{prefix}{', '.join(missing)} phase{plural(len(missing))} not yet rated"


def _per_case(key: str, spec: dict, facts: list[_CaseFacts]) -> tuple[bool, str]:
    need = spec.get("completed_min", 1)
    checked = [(case, *_case_check(key, case, spec)) for case in facts]
    have = sum(1 for case, ok, _ in checked if ok and case.status == "completed")
    detail = tally(have, need, "completed case", "completed cases", f" with {_need(key, spec)}")
    if have >= need:
        return True, detail
    notes = [f"case {case.code}: {text if not ok else OPEN}" for case, ok, text in checked
             if not ok or case.status != "completed"]
    return False, _shortage(detail, notes, facts, need - have)


def _need(key: str, spec: dict) -> str:
    value = spec[key]
    if key == "phases":
        return f"a rated session in each of {', '.join(value)}"
    if key == "mean_rating_min":
        return f"a mean rating of at least {num(value)}"
    label = PER_CASE_LABELS[key]
    return f"at least {num(value)} {label[:-1] if value == 1 else label}"


def _shortfalls(case: _CaseFacts, spec: dict) -> list[str]:
    """The labels of the per-case requirements this case does not satisfy."""
    keys = [key for key in spec if key in PER_CASE_LABELS]
    return [PER_CASE_LABELS[key] for key in keys if not _case_check(key, case, spec)[0]]


def _counted(spec: dict, facts: list[_CaseFacts]) -> list[_CaseFacts]:
    return [c for c in facts if c.status == "completed" and not _shortfalls(c, spec)]


def _completed(spec: dict, facts: list[_CaseFacts]) -> tuple[bool, str]:
    need, counted = spec["completed_min"], _counted(spec, facts)
    strict = any(key in PER_CASE_LABELS for key in spec)
    many = "completed cases meeting every case requirement" if strict else "completed cases"
    one = "completed case meeting every case requirement" if strict else "completed case"
    detail = tally(len(counted), need, one, many)
    if len(counted) >= need:
        return True, detail
    notes = [_case_note(case, spec) for case in facts if case not in counted]
    return False, _shortage(detail, notes, facts, need - len(counted))


def _shortage(detail: str, notes: list[str], facts: list[_CaseFacts], missing: int) -> str:
    """The tally, then what each case lacks, or that more cases are needed."""
    if not facts:
        notes = [NO_CASE]
    elif not notes:
        notes = [f"{missing} more case{plural(missing)} needed"]
    return "; ".join([detail, *notes])


def _case_note(case: _CaseFacts, spec: dict) -> str:
    parts = [] if case.status == "completed" else [OPEN]
    shortfalls = _shortfalls(case, spec)
    if shortfalls:
        parts.append(f"short on {', '.join(shortfalls)}")
    return f"case {case.code}: {', '.join(parts)}"


def _distinct_areas(need: int, spec: dict, facts: list[_CaseFacts]) -> tuple[bool, str]:
    counted = _counted(spec, facts)
    completed = [case for case in facts if case.status == "completed"]
    if not completed:
        return need <= 0, f"0 of {need} problem areas: no completed case yet"
    pool = counted or completed
    scope = "the counted cases" if counted else "the completed cases (none counts yet)"
    areas = ordered(frozenset().union(*(case.areas for case in pool)), PROBLEM_AREAS)
    detail = tally(len(areas), need, "problem area", "problem areas", f" across {scope}")
    detail += f": {', '.join(areas)}" if areas else ""
    if len(areas) < need:
        detail += "; a case in another problem area is needed"
    return len(areas) >= need, detail
