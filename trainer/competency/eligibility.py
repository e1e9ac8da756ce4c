"""Certification eligibility: a pathway's requirements checked against one trainee's record.

Pure functions over the pathway dict as parsed from `curriculum/pathways/<id>.yaml` and a
`TraineeRecord` the caller builds, with no Flask and no database. The result is a checklist:
one `Requirement` per key present, in the file's order, with a dotted id (`modules`,
`vignettes.passed_min`, `supervised_cases.phases`, `competencies.min_level`, ...), met or not,
and a detail sentence a person can act on.

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
- `competencies.min_level`: every core competency (or each of `ids`) at or above the level;
  a competency without a level is at level 0, "not yet assessed".
- Figures in details are cut (not rounded) to 2 decimals, so 3.996 hours never reads "4".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import floor

PROBLEM_AREAS = ("grief", "role-dispute", "role-transition", "interpersonal-deficits")
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
class RatedSession:
    """One supervisor rating of a session of a case."""

    session_number: int
    phase: str
    drawn: bool
    summative: bool
    calibrated_rater: bool
    competent: bool
    mean: float


@dataclass(frozen=True)
class Meeting:
    """One supervision meeting about a case; group_size None or 1 means individual."""

    minutes: int
    group_size: int | None


@dataclass(frozen=True)
class CaseRecord:
    """A supervised case with its logged sessions, ratings and supervision."""

    code: str
    status: str  # "open" | "completed" | "discontinued"
    sessions_logged: int
    problem_areas: frozenset[str]
    ratings: tuple[RatedSession, ...]
    meetings: tuple[Meeting, ...]


@dataclass(frozen=True)
class TraineeRecord:
    """Everything eligibility needs to know about one person."""

    modules_passed: frozenset[str]
    core_modules: frozenset[str]
    all_modules: frozenset[str]
    module_titles: dict  # id -> title, in catalogue order
    vignettes_passed: dict  # vignette id -> frozenset of its problem areas (passed only)
    cases: tuple[CaseRecord, ...]
    competency_levels: dict  # competency id -> level
    core_competencies: frozenset[str]
    competency_titles: dict  # id -> title, in framework order
    active_certificates: frozenset[str]  # pathway ids with an active certificate
    supervised_trainees: int
    supervised_completed_cases: int
    calibrated_now: bool


@dataclass(frozen=True)
class Requirement:
    """One checklist entry."""

    id: str
    met: bool
    detail: str


@dataclass(frozen=True)
class Eligibility:
    """A pathway's checklist for one person; eligible when every entry is met."""

    pathway: str
    eligible: bool
    requirements: tuple[Requirement, ...]


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


Check = Callable[[object, TraineeRecord], tuple[bool, str]]


# --- entry points ---------------------------------------------------------------------------


def evaluate(pathway: dict, record: TraineeRecord) -> Eligibility:
    """Check every requirement of the pathway against the record, in the file's order."""
    requirements = tuple(_requirements(pathway.get("requirements") or {}, record))
    return Eligibility(pathway["id"], all(r.met for r in requirements), requirements)


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


def _requirements(spec: dict, record: TraineeRecord) -> list[Requirement]:
    entries = []
    for key, value in spec.items():
        if key == "supervised_cases":
            entries += _supervised_cases(value, record)
        elif key in SECTIONS:
            entries += _section(key, value, record)
        elif key in SINGLE:
            rid, check = SINGLE[key]
            entries.append(_entry(check, rid, value, record))
        else:
            raise ValueError(f"unknown requirement '{key}'")
    return entries


def _section(name: str, spec: dict, record: TraineeRecord) -> list[Requirement]:
    checks = SECTIONS[name]
    unknown = set(spec) - set(checks)
    if unknown:
        raise ValueError(f"unknown requirement '{name}.{sorted(unknown)[0]}'")
    return [_entry(checks[key], f"{name}.{key}", value, record) for key, value in spec.items()]


def _entry(check: Check, rid: str, value: object, record: TraineeRecord) -> Requirement:
    met, detail = check(value, record)
    return Requirement(rid, met, detail)


# --- modules, vignettes, competencies --------------------------------------------------------


def _modules(spec: object, record: TraineeRecord) -> tuple[bool, str]:
    if spec == "core":
        required, noun = record.core_modules, "core modules"
    elif spec == "all":
        required, noun = record.all_modules, "modules"
    else:
        required, noun = frozenset(spec), "required modules"
    missing = _ordered(required - record.modules_passed, record.module_titles)
    detail = f"{len(required) - len(missing)} of {len(required)} {noun} passed"
    if missing:
        detail += f"; missing: {_titles(missing, record.module_titles)}"
    return not missing, detail


def _vignettes_passed(need: int, record: TraineeRecord) -> tuple[bool, str]:
    have = len(record.vignettes_passed)
    detail = _tally(have, need, "vignette", "vignettes", " passed")
    if have < need:
        detail += f"; pass {need - have} more"
    return have >= need, detail


def _vignette_areas(areas: list[str], record: TraineeRecord) -> tuple[bool, str]:
    covered = frozenset().union(*record.vignettes_passed.values())
    missing = [area for area in areas if area not in covered]
    detail = f"{len(areas) - len(missing)} of {len(areas)} problem areas covered"
    if missing:
        detail += f": missing {', '.join(missing)}"
    return not missing, detail


def _competencies(spec: dict, record: TraineeRecord) -> tuple[bool, str]:
    level = spec["min_level"]
    if "ids" in spec:
        targets, kind = list(spec["ids"]), "listed"
    else:
        targets, kind = _ordered(record.core_competencies, record.competency_titles), "core"
    below = [cid for cid in targets if record.competency_levels.get(cid, 0) < level]
    noun = f"{kind} competenc{'y' if len(targets) == 1 else 'ies'}"
    detail = f"{len(targets) - len(below)} of {len(targets)} {noun} at level {level} or above"
    if below:
        named = ", ".join(_with_level(cid, record) for cid in below)
        detail += f"; competencies below level {level}: {named}"
    return not below, detail


def _with_level(cid: str, record: TraineeRecord) -> str:
    level = record.competency_levels.get(cid, 0)
    state = f"level {level}" if level else "not yet assessed"
    return f"{record.competency_titles.get(cid, cid)} ({state})"


# --- supervisor pathways ---------------------------------------------------------------------


def _certificate(pathway_id: str, record: TraineeRecord) -> tuple[bool, str]:
    if pathway_id in record.active_certificates:
        return True, f"holds an active {pathway_id} certificate"
    return False, f"no active {pathway_id} certificate: earn or renew it first"


def _trainees(need: int, record: TraineeRecord) -> tuple[bool, str]:
    have = record.supervised_trainees
    return have >= need, _tally(have, need, "trainee", "trainees", " supervised")


def _given_cases(need: int, record: TraineeRecord) -> tuple[bool, str]:
    have = record.supervised_completed_cases
    return have >= need, _tally(have, need, "supervised case", "supervised cases", " completed")


def _calibration(_spec: str, record: TraineeRecord) -> tuple[bool, str]:
    if record.calibrated_now:
        return True, "calibrated now on the default scale"
    return False, "not calibrated on the default scale: rate the gold-standard recordings"


# --- supervised cases -----------------------------------------------------------------------


def _supervised_cases(spec: dict, record: TraineeRecord) -> list[Requirement]:
    unknown = set(spec) - set(PER_CASE_LABELS) - {"completed_min", "distinct_problem_areas"}
    if unknown:
        raise ValueError(f"unknown requirement 'supervised_cases.{sorted(unknown)[0]}'")
    facts = [_facts(case) for case in record.cases if case.status != "discontinued"]
    entries = []
    for key, value in spec.items():
        met, detail = _case_requirement(key, value, spec, facts)
        entries.append(Requirement(f"supervised_cases.{key}", met, detail))
    return entries


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
    means = [_exact(r.mean) for r in counting]
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
        hours = f"supervision {_num(facts.hours)} of {_num(need)} hour{_s(need)}"
        return facts.hours >= _exact(need), hours
    have, text = {
        "sessions_min": (facts.sessions, f"session{_s(need)}"),
        "rated_sessions_min": (facts.rated, f"rated session{_s(need)}"),
        "competent_sessions_min": (facts.competent, f"rated session{_s(need)} competent"),
    }[key]
    unrated = _unrated(facts, spec.get("phases", ()), ", ") if key == "rated_sessions_min" else ""
    return have >= need, f"{have} of {need} {text}{unrated}"


def _mean_check(facts: _CaseFacts, need: float) -> tuple[bool, str]:
    if facts.mean is None:
        return False, f"no counting rating yet (mean of at least {_num(need)} needed)"
    ok = facts.mean >= _exact(need)
    return ok, f"mean rating {_num(facts.mean)} (at least {_num(need)} needed)"


def _phases_check(facts: _CaseFacts, phases: list[str]) -> tuple[bool, str]:
    missing = _unrated(facts, phases, "")
    if missing:
        return False, missing
    return True, f"{', '.join(phases)} phase{_s(len(phases))} rated"


def _unrated(facts: _CaseFacts, phases: Iterable[str], prefix: str) -> str:
    missing = [phase for phase in phases if phase not in facts.phases]
    if not missing:
        return ""
    return f"{prefix}{', '.join(missing)} phase{_s(len(missing))} not yet rated"


def _per_case(key: str, spec: dict, facts: list[_CaseFacts]) -> tuple[bool, str]:
    need = spec.get("completed_min", 1)
    checked = [(case, *_case_check(key, case, spec)) for case in facts]
    have = sum(1 for case, ok, _ in checked if ok and case.status == "completed")
    detail = _tally(have, need, "completed case", "completed cases", f" with {_need(key, spec)}")
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
        return f"a mean rating of at least {_num(value)}"
    label = PER_CASE_LABELS[key]
    return f"at least {_num(value)} {label[:-1] if value == 1 else label}"


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
    detail = _tally(len(counted), need, one, many)
    if len(counted) >= need:
        return True, detail
    notes = [_case_note(case, spec) for case in facts if case not in counted]
    return False, _shortage(detail, notes, facts, need - len(counted))


def _shortage(detail: str, notes: list[str], facts: list[_CaseFacts], missing: int) -> str:
    """The tally, then what each case lacks, or that more cases are needed."""
    if not facts:
        notes = [NO_CASE]
    elif not notes:
        notes = [f"{missing} more case{_s(missing)} needed"]
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
    areas = _ordered(frozenset().union(*(case.areas for case in pool)), PROBLEM_AREAS)
    detail = _tally(len(areas), need, "problem area", "problem areas", f" across {scope}")
    detail += f": {', '.join(areas)}" if areas else ""
    if len(areas) < need:
        detail += "; a case in another problem area is needed"
    return len(areas) >= need, detail


# --- wording --------------------------------------------------------------------------------


def _tally(have: int, need: int, one: str, many: str, tail: str = "") -> str:
    """'2 of 4 things tail', or '5 things tail (4 required)' beyond the need."""
    if have > need:
        return f"{have} {many}{tail} ({need} required)"
    return f"{have} of {need} {one if need == 1 else many}{tail}"


def _s(count: float) -> str:
    """The plural ending for a count."""
    return "" if count == 1 else "s"


def _ordered(ids: Iterable[str], order: Iterable[str]) -> list[str]:
    """Ids in the given order first (catalogue, framework, vocabulary), then the rest sorted."""
    position = {key: index for index, key in enumerate(order)}
    return sorted(ids, key=lambda key: (position.get(key, len(position)), key))


def _titles(ids: Iterable[str], titles: dict) -> str:
    return ", ".join(titles.get(key, key) for key in ids)


def _num(value: float | Fraction) -> str:
    """A figure cut to 2 decimals without trailing zeros: 3.5, 4, 0.83."""
    cut = Fraction(floor(_exact(value) * 100), 100)
    return f"{float(cut):.2f}".rstrip("0").rstrip(".")


def _exact(number: int | float | Fraction) -> Fraction:
    """The number as written: a float is read as the decimal it prints as."""
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


SECTIONS: dict[str, dict[str, Check]] = {
    "vignettes": {"passed_min": _vignettes_passed, "problem_areas": _vignette_areas},
    "supervision_given": {"trainees_min": _trainees, "completed_cases_min": _given_cases},
}
SINGLE: dict[str, tuple[str, Check]] = {  # key -> (checklist id, check): one entry each
    "modules": ("modules", _modules),
    "competencies": ("competencies.min_level", _competencies),
    "certificate": ("certificate", _certificate),
    "calibration": ("calibration", _calibration),
}
