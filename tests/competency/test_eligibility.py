"""Eligibility engine: each pathway requirement met and unmet, with the exact detail sentences."""

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from trainer.competency.eligibility import (
    CaseRecord,
    Eligibility,
    Meeting,
    RatedSession,
    Requirement,
    TraineeRecord,
    evaluate,
    supervision_hours,
)

PATHWAYS = Path(__file__).resolve().parents[2] / "curriculum" / "pathways"
ALL_AREAS = ["grief", "role-dispute", "role-transition", "interpersonal-deficits"]
PHASES = ["initial", "middle", "termination"]


def pathway_file(name):
    return yaml.safe_load((PATHWAYS / f"{name}.yaml").read_text(encoding="utf-8"))


def rating(number, phase="middle", *, drawn=True, summative=True, calibrated=True,
           competent=True, mean=3.5):
    return RatedSession(number, phase, drawn, summative, calibrated, competent, mean)


GOOD_RATINGS = (rating(2, "initial"), rating(7, "middle"), rating(14, "termination"))
FOUR_HOURS = (Meeting(60, None), Meeting(120, 1), Meeting(90, 6), Meeting(90, 6))  # 1+2+.5+.5


def case(code="C-0412", status="completed", sessions=16, areas=("grief",),
         ratings=GOOD_RATINGS, meetings=FOUR_HOURS):
    return CaseRecord(code, status, sessions, frozenset(areas), tuple(ratings), tuple(meetings))


VIGNETTES = {
    "v-grief": frozenset({"grief"}),
    "v-dispute": frozenset({"role-dispute"}),
    "v-transition": frozenset({"role-transition"}),
    "v-deficits": frozenset({"interpersonal-deficits"}),
    "v-grief-dispute": frozenset({"grief", "role-dispute"}),
    "v-transition-2": frozenset({"role-transition"}),
    "v-transition-3": frozenset({"role-transition"}),
    "v-dispute-2": frozenset({"role-dispute"}),
}

RECORD = TraineeRecord(
    modules_passed=frozenset({"m1", "m2", "m3"}),
    core_modules=frozenset({"m1", "m2", "m3"}),
    all_modules=frozenset({"m1", "m2", "m3", "m4"}),
    module_titles={"m1": "Foundations", "m2": "Problem areas", "m3": "Termination",
                   "m4": "Group IPT"},
    vignettes_passed=VIGNETTES,
    cases=(case("C-0412", areas=["grief"]), case("C-0413", areas=["role-dispute"])),
    competency_levels={"knowledge": 3, "inventory": 4, "adaptations": 1},
    core_competencies=frozenset({"knowledge", "inventory"}),
    competency_titles={"knowledge": "Knows the model", "inventory": "Completes the inventory",
                       "adaptations": "Knows the adaptations"},
    active_certificates=frozenset(),
    supervised_trainees=0,
    supervised_completed_cases=0,
    calibrated_now=False,
)


def check(requirements, record=RECORD, **changes):
    """The checklist of a one-off pathway for the record with some fields changed."""
    result = evaluate({"id": "p", "requirements": requirements}, replace(record, **changes))
    return [(r.id, r.met, r.detail) for r in result.requirements]


def one_case(**fields):
    return (case(**fields),)


# --- supervision hours -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meetings", "hours"),
    [
        ([], 0.0),
        ([Meeting(60, None)], 1.0),
        ([Meeting(45, 1)], 0.75),  # a group of one is individual
        ([Meeting(90, 6)], 0.5),  # (1.5 h / 6) x 2
        ([Meeting(90, 3)], 1.0),
        ([Meeting(30, None), Meeting(90, 6), Meeting(120, 2)], 3.0),
    ],
)
def test_supervision_hours(meetings, hours):
    assert supervision_hours(meetings) == hours


@pytest.mark.parametrize("meeting", [Meeting(-5, None), Meeting(60, 0)])
def test_supervision_hours_rejects_bad_meetings(meeting):
    with pytest.raises(ValueError, match="invalid supervision meeting"):
        supervision_hours([meeting])


# --- modules, vignettes, competencies, supervisor requirements --------------------------------


@pytest.mark.parametrize(
    ("requirements", "changes", "expected"),
    [
        ({"modules": "core"}, {}, ("modules", True, "3 of 3 core modules passed")),
        ({"modules": "core"}, {"modules_passed": frozenset({"m1"})},
         ("modules", False, "1 of 3 core modules passed; missing: Problem areas, Termination")),
        ({"modules": "all"}, {},
         ("modules", False, "3 of 4 modules passed; missing: Group IPT")),
        ({"modules": ["m4", "m1"]}, {},
         ("modules", False, "1 of 2 required modules passed; missing: Group IPT")),
        ({"vignettes": {"passed_min": 8}}, {},
         ("vignettes.passed_min", True, "8 of 8 vignettes passed")),
        ({"vignettes": {"passed_min": 6}}, {},
         ("vignettes.passed_min", True, "8 vignettes passed (6 required)")),
        ({"vignettes": {"passed_min": 8}},
         {"vignettes_passed": dict(list(VIGNETTES.items())[:5])},
         ("vignettes.passed_min", False, "5 of 8 vignettes passed; pass 3 more")),
        ({"vignettes": {"problem_areas": ALL_AREAS}}, {},
         ("vignettes.problem_areas", True, "4 of 4 problem areas covered")),
        ({"vignettes": {"problem_areas": ALL_AREAS}},
         {"vignettes_passed": {"a": frozenset({"grief"}), "b": frozenset({"role-transition"})}},
         ("vignettes.problem_areas", False,
          "2 of 4 problem areas covered: missing role-dispute, interpersonal-deficits")),
        ({"competencies": {"min_level": 3}}, {},
         ("competencies.min_level", True, "2 of 2 core competencies at level 3 or above")),
        ({"competencies": {"min_level": 3}}, {"competency_levels": {"inventory": 2}},
         ("competencies.min_level", False,
          "0 of 2 core competencies at level 3 or above; competencies below level 3: "
          "Knows the model (not yet assessed), Completes the inventory (level 2)")),
        ({"competencies": {"min_level": 2, "ids": ["adaptations"]}}, {},
         ("competencies.min_level", False,
          "0 of 1 listed competency at level 2 or above; competencies below level 2: "
          "Knows the adaptations (level 1)")),
        ({"certificate": "ipt-practitioner"},
         {"active_certificates": frozenset({"ipt-practitioner"})},
         ("certificate", True, "holds an active ipt-practitioner certificate")),
        ({"certificate": "ipt-practitioner"}, {},
         ("certificate", False, "no active ipt-practitioner certificate: earn or renew it first")),
        ({"supervision_given": {"trainees_min": 2}}, {"supervised_trainees": 2},
         ("supervision_given.trainees_min", True, "2 of 2 trainees supervised")),
        ({"supervision_given": {"trainees_min": 2}}, {"supervised_trainees": 1},
         ("supervision_given.trainees_min", False, "1 of 2 trainees supervised")),
        ({"supervision_given": {"completed_cases_min": 2}}, {"supervised_completed_cases": 5},
         ("supervision_given.completed_cases_min", True,
          "5 supervised cases completed (2 required)")),
        ({"supervision_given": {"completed_cases_min": 1}}, {},
         ("supervision_given.completed_cases_min", False, "0 of 1 supervised case completed")),
        ({"calibration": "current"}, {"calibrated_now": True},
         ("calibration", True, "calibrated now on the default scale")),
        ({"calibration": "current"}, {},
         ("calibration", False,
          "not calibrated on the default scale: rate the gold-standard recordings")),
    ],
)
def test_single_requirements(requirements, changes, expected):
    assert check(requirements, **changes) == [expected]


# --- per-case requirements -------------------------------------------------------------------

NOT_TERMINATION = (rating(2, "initial"), rating(7, "middle"))


@pytest.mark.parametrize(
    ("requirements", "cases", "expected"),
    [
        ({"sessions_min": 12}, one_case(),
         (True, "1 of 1 completed case with at least 12 sessions")),
        ({"sessions_min": 12}, one_case(sessions=10),
         (False, "0 of 1 completed case with at least 12 sessions; "
                 "case C-0412: 10 of 12 sessions")),
        ({"rated_sessions_min": 3}, one_case(),
         (True, "1 of 1 completed case with at least 3 rated sessions")),
        ({"rated_sessions_min": 3, "phases": PHASES}, one_case(ratings=NOT_TERMINATION),
         (False, "0 of 1 completed case with at least 3 rated sessions; "
                 "case C-0412: 2 of 3 rated sessions, termination phase not yet rated")),
        ({"rated_sessions_min": 3}, one_case(ratings=GOOD_RATINGS + (rating(7, "middle"),)),
         (True, "1 of 1 completed case with at least 3 rated sessions")),  # 2 raters, 1 session
        ({"competent_sessions_min": 2},
         one_case(ratings=(rating(2, "initial", competent=False), rating(7), rating(14))),
         (True, "1 of 1 completed case with at least 2 competent sessions")),
        ({"competent_sessions_min": 2},
         one_case(ratings=(rating(2, competent=False), rating(7, competent=False), rating(14))),
         (False, "0 of 1 completed case with at least 2 competent sessions; "
                 "case C-0412: 1 of 2 rated sessions competent")),
        ({"competent_sessions_min": 1},
         one_case(ratings=(rating(7), rating(7, competent=False))),
         (False, "0 of 1 completed case with at least 1 competent session; "
                 "case C-0412: 0 of 1 rated session competent")),  # raters disagree: not competent
        ({"mean_rating_min": 3.0}, one_case(),
         (True, "1 of 1 completed case with a mean rating of at least 3")),
        ({"mean_rating_min": 3.0},
         one_case(ratings=(rating(2, mean=2.5), rating(7, mean=3.0), rating(14, mean=3.0))),
         (False, "0 of 1 completed case with a mean rating of at least 3; "
                 "case C-0412: mean rating 2.83 (at least 3 needed)")),
        ({"mean_rating_min": 3.0}, one_case(ratings=()),
         (False, "0 of 1 completed case with a mean rating of at least 3; "
                 "case C-0412: no counting rating yet (mean of at least 3 needed)")),
        ({"phases": PHASES}, one_case(),
         (True, "1 of 1 completed case with a rated session in each of initial, middle, "
                "termination")),
        ({"phases": PHASES}, one_case(ratings=NOT_TERMINATION),
         (False, "0 of 1 completed case with a rated session in each of initial, middle, "
                 "termination; case C-0412: termination phase not yet rated")),
        ({"phases": PHASES}, one_case(ratings=()),
         (False, "0 of 1 completed case with a rated session in each of initial, middle, "
                 "termination; case C-0412: initial, middle, termination phases not yet rated")),
        ({"supervision_hours_min": 4}, one_case(),
         (True, "1 of 1 completed case with at least 4 supervision hours")),
        ({"supervision_hours_min": 4}, one_case(meetings=FOUR_HOURS[:3]),
         (False, "0 of 1 completed case with at least 4 supervision hours; "
                 "case C-0412: supervision 3.5 of 4 hours")),
        ({"supervision_hours_min": 1}, one_case(meetings=(Meeting(59, None),)),
         (False, "0 of 1 completed case with at least 1 supervision hour; "
                 "case C-0412: supervision 0.98 of 1 hour")),  # cut, never rounded up to 1
        ({"sessions_min": 12}, one_case(status="open", sessions=8),
         (False, "0 of 1 completed case with at least 12 sessions; case C-0412: 8 of 12 sessions")),
        ({"sessions_min": 12}, one_case(status="open"),
         (False, "0 of 1 completed case with at least 12 sessions; "
                 "case C-0412: not yet signed off as completed")),
        ({"sessions_min": 12}, one_case(status="discontinued"),
         (False, "0 of 1 completed case with at least 12 sessions; "
                 "no open or completed case yet")),
        ({"sessions_min": 12, "completed_min": 2}, (case("C-1"), case("C-2", sessions=9)),
         (False, "1 of 2 completed cases with at least 12 sessions; case C-2: 9 of 12 sessions")),
        ({"sessions_min": 12, "completed_min": 2}, (case("C-1"), case("C-2"), case("C-3")),
         (True, "3 completed cases with at least 12 sessions (2 required)")),
    ],
)
def test_per_case_requirements(requirements, cases, expected):
    key = next(k for k in requirements if k != "completed_min")
    entries = dict((rid, (met, detail)) for rid, met, detail in
                   check({"supervised_cases": requirements}, cases=cases))
    assert entries[f"supervised_cases.{key}"] == expected


@pytest.mark.parametrize(
    "flag", ["drawn", "summative", "calibrated"],
)
def test_rating_counts_only_when_drawn_summative_and_by_a_calibrated_rater(flag):
    ratings = (rating(2, "initial"), rating(7, "middle"),
               rating(14, "termination", **{flag: False}))
    assert check({"supervised_cases": {"rated_sessions_min": 3, "phases": PHASES}},
                 cases=one_case(ratings=ratings)) == [
        ("supervised_cases.rated_sessions_min", False,
         "0 of 1 completed case with at least 3 rated sessions; "
         "case C-0412: 2 of 3 rated sessions, termination phase not yet rated"),
        ("supervised_cases.phases", False,
         "0 of 1 completed case with a rated session in each of initial, middle, termination; "
         "case C-0412: termination phase not yet rated"),
    ]


# --- counted cases and problem areas ---------------------------------------------------------

STRICT = {"completed_min": 2, "sessions_min": 12, "supervision_hours_min": 4}


@pytest.mark.parametrize(
    ("requirements", "cases", "expected"),
    [
        (STRICT, (case("C-1"), case("C-2")),
         (True, "2 of 2 completed cases meeting every case requirement")),
        (STRICT, (case("C-1"), case("C-2", sessions=9, meetings=())),
         (False, "1 of 2 completed cases meeting every case requirement; "
                 "case C-2: short on sessions, supervision hours")),
        (STRICT, (case("C-1"), case("C-2", status="open")),
         (False, "1 of 2 completed cases meeting every case requirement; "
                 "case C-2: not yet signed off as completed")),
        (STRICT, (case("C-1"), case("C-2", status="open", sessions=4)),
         (False, "1 of 2 completed cases meeting every case requirement; "
                 "case C-2: not yet signed off as completed, short on sessions")),
        (STRICT, (case("C-1"), case("C-2", status="discontinued")),
         (False, "1 of 2 completed cases meeting every case requirement; 1 more case needed")),
        ({"completed_min": 1}, (case("C-1", status="discontinued"),),
         (False, "0 of 1 completed case; no open or completed case yet")),
        ({"completed_min": 2}, (case("C-1", sessions=1), case("C-2", status="open")),
         (False, "1 of 2 completed cases; case C-2: not yet signed off as completed")),
    ],
)
def test_completed_min_counts_cases_meeting_every_case_requirement(requirements, cases,
                                                                   expected):
    entries = {rid: (met, detail) for rid, met, detail in
               check({"supervised_cases": requirements}, cases=cases)}
    assert entries["supervised_cases.completed_min"] == expected


AREAS = {"completed_min": 1, "sessions_min": 12, "distinct_problem_areas": 2}


@pytest.mark.parametrize(
    ("cases", "expected"),
    [
        ((case("C-1", areas=["grief"]), case("C-2", areas=["role-dispute", "grief"])),
         (True, "2 of 2 problem areas across the counted cases: grief, role-dispute")),
        ((case("C-1", areas=["role-transition"]), case("C-2", areas=["grief"]),
          case("C-3", areas=["interpersonal-deficits"])),
         (True, "3 problem areas across the counted cases (2 required): "
                "grief, role-transition, interpersonal-deficits")),
        ((case("C-1", areas=["grief"]), case("C-2", areas=["grief"])),
         (False, "1 of 2 problem areas across the counted cases: grief; "
                 "a case in another problem area is needed")),
        ((case("C-1", areas=["grief"]), case("C-2", areas=["role-dispute"], sessions=3)),
         (False, "1 of 2 problem areas across the counted cases: grief; "
                 "a case in another problem area is needed")),  # C-2 does not count
        ((case("C-1", areas=["grief"], sessions=3),
          case("C-2", areas=["role-dispute"], sessions=3)),
         (True, "2 of 2 problem areas across the completed cases (none counts yet): "
                "grief, role-dispute")),
        ((case("C-1", areas=["grief"], status="open"),
          case("C-2", areas=["role-dispute"], status="discontinued")),
         (False, "0 of 2 problem areas: no completed case yet")),
    ],
)
def test_distinct_problem_areas_across_counted_cases(cases, expected):
    entries = {rid: (met, detail) for rid, met, detail in
               check({"supervised_cases": AREAS}, cases=cases)}
    assert entries["supervised_cases.distinct_problem_areas"] == expected


# --- whole pathways --------------------------------------------------------------------------


def test_full_record_is_eligible_for_the_practitioner_pathway():
    result = evaluate(pathway_file("ipt-practitioner"), RECORD)
    assert result == Eligibility("ipt-practitioner", True, (
        Requirement("modules", True, "3 of 3 core modules passed"),
        Requirement("vignettes.passed_min", True, "8 of 8 vignettes passed"),
        Requirement("vignettes.problem_areas", True, "4 of 4 problem areas covered"),
        Requirement("supervised_cases.completed_min", True,
                    "2 of 2 completed cases meeting every case requirement"),
        Requirement("supervised_cases.sessions_min", True,
                    "2 of 2 completed cases with at least 12 sessions"),
        Requirement("supervised_cases.rated_sessions_min", True,
                    "2 of 2 completed cases with at least 3 rated sessions"),
        Requirement("supervised_cases.competent_sessions_min", True,
                    "2 of 2 completed cases with at least 2 competent sessions"),
        Requirement("supervised_cases.mean_rating_min", True,
                    "2 of 2 completed cases with a mean rating of at least 3"),
        Requirement("supervised_cases.phases", True,
                    "2 of 2 completed cases with a rated session in each of initial, middle, "
                    "termination"),
        Requirement("supervised_cases.supervision_hours_min", True,
                    "2 of 2 completed cases with at least 4 supervision hours"),
        Requirement("competencies.min_level", True,
                    "2 of 2 core competencies at level 3 or above"),
    ))


def test_advanced_pathway_names_what_is_missing():
    result = evaluate(pathway_file("ipt-practitioner-advanced"), RECORD)
    unmet = [(r.id, r.detail) for r in result.requirements if not r.met]
    assert not result.eligible
    assert unmet == [
        ("vignettes.passed_min", "8 of 12 vignettes passed; pass 4 more"),
        ("supervised_cases.completed_min",
         "2 of 4 completed cases meeting every case requirement; 2 more cases needed"),
        ("supervised_cases.sessions_min",
         "2 of 4 completed cases with at least 12 sessions; 2 more cases needed"),
        ("supervised_cases.rated_sessions_min",
         "2 of 4 completed cases with at least 3 rated sessions; 2 more cases needed"),
        ("supervised_cases.competent_sessions_min",
         "2 of 4 completed cases with at least 3 competent sessions; 2 more cases needed"),
        ("supervised_cases.mean_rating_min",
         "2 of 4 completed cases with a mean rating of at least 3; 2 more cases needed"),
        ("supervised_cases.phases",
         "2 of 4 completed cases with a rated session in each of initial, middle, termination; "
         "2 more cases needed"),
        ("supervised_cases.supervision_hours_min",
         "2 of 4 completed cases with at least 4 supervision hours; 2 more cases needed"),
    ]
    met = {r.id: r.detail for r in result.requirements if r.met}
    assert met["supervised_cases.distinct_problem_areas"] == (
        "2 of 2 problem areas across the counted cases: grief, role-dispute")


def test_supervisor_pathway():
    record = replace(RECORD, active_certificates=frozenset({"ipt-practitioner"}),
                     supervised_trainees=3, supervised_completed_cases=2, calibrated_now=True)
    result = evaluate(pathway_file("ipt-supervisor"), record)
    assert result.eligible
    assert [r.id for r in result.requirements] == [
        "certificate", "supervision_given.trainees_min", "supervision_given.completed_cases_min",
        "calibration"]
    uncalibrated = replace(record, calibrated_now=False)
    assert not evaluate(pathway_file("ipt-supervisor"), uncalibrated).eligible


def test_a_pathway_without_requirements_is_met_vacuously():
    assert evaluate({"id": "p", "requirements": {}}, RECORD) == Eligibility("p", True, ())


@pytest.mark.parametrize(
    "requirements",
    [{"modulez": "core"}, {"vignettes": {"passed": 3}}, {"supervised_cases": {"cases": 1}}],
)
def test_unknown_requirement_is_an_error_never_ignored(requirements):
    with pytest.raises(ValueError, match="unknown requirement"):
        evaluate({"id": "p", "requirements": requirements}, RECORD)
