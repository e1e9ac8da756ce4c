"""Certification eligibility: a pathway's requirements checked against one trainee's record.

Pure functions over the pathway dict as parsed from `curriculum/pathways/<id>.yaml` and a
`TraineeRecord` the caller builds, with no Flask and no database. The result is a checklist:
one `Requirement` per key present, in the file's order, with a dotted id (`modules`,
`vignettes.passed_min`, `supervised_cases.phases`, `competencies.min_level`, ...), met or not,
and a detail sentence a person can act on.

The records live in `records`, the supervised-case rules (what counts as a case, a rating,
supervision hours) in `case_rules`, the shared wording in `wording`; this module checks the
rest and re-exports what callers use. Rules where the spec leaves room:

- `competencies.min_level`: every core competency (or each of `ids`) at or above the level;
  a competency without a level is at level 0, "not yet assessed".
- Figures in details are cut (not rounded) to 2 decimals, so 3.996 hours never reads "4".
"""

from collections.abc import Callable, Iterable

from trainer.competency.case_rules import supervised_cases, supervision_hours
from trainer.competency.records import (
    PROBLEM_AREAS,
    CaseRecord,
    Eligibility,
    Meeting,
    RatedSession,
    Requirement,
    TraineeRecord,
)
from trainer.competency.wording import ordered, tally

__all__ = [
    "PROBLEM_AREAS",
    "CaseRecord",
    "Eligibility",
    "Meeting",
    "RatedSession",
    "Requirement",
    "TraineeRecord",
    "evaluate",
    "supervision_hours",
]

Check = Callable[[object, TraineeRecord], tuple[bool, str]]


# --- entry points ---------------------------------------------------------------------------


def evaluate(pathway: dict, record: TraineeRecord) -> Eligibility:
    """Check every requirement of the pathway against the record, in the file's order."""
    requirements = tuple(_requirements(pathway.get("requirements") or {}, record))
    return Eligibility(pathway["id"], all(r.met for r in requirements), requirements)


def _requirements(spec: dict, record: TraineeRecord) -> list[Requirement]:
    entries = []
    for key, value in spec.items():
        if key == "supervised_cases":
            entries += supervised_cases(value, record)
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
    missing = ordered(required - record.modules_passed, record.module_titles)
    detail = f"{len(required) - len(missing)} of {len(required)} {noun} passed"
    if missing:
        detail += f"; missing: {_titles(missing, record.module_titles)}"
    return not missing, detail


def _vignettes_passed(need: int, record: TraineeRecord) -> tuple[bool, str]:
    have = len(record.vignettes_passed)
    detail = tally(have, need, "vignette", "vignettes", " passed")
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
        targets, kind = ordered(record.core_competencies, record.competency_titles), "core"
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
    return have >= need, tally(have, need, "trainee", "trainees", " supervised")


def _given_cases(need: int, record: TraineeRecord) -> tuple[bool, str]:
    have = record.supervised_completed_cases
    return have >= need, tally(have, need, "supervised case", "supervised cases", " completed")


def _calibration(_spec: str, record: TraineeRecord) -> tuple[bool, str]:
    if record.calibrated_now:
        return True, "calibrated now on the default scale"
    return False, "not calibrated on the default scale: rate the gold-standard recordings"


def _titles(ids: Iterable[str], titles: dict) -> str:
    """Titles of the ids, in their order, joined with commas."""
    return ", ".join(titles.get(key, key) for key in ids)


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
