"""Eligibility's plain data: a trainee's record going in, the checklist coming out."""

from dataclasses import dataclass

PROBLEM_AREAS = ("grief", "role-dispute", "role-transition", "interpersonal-deficits")


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
