"""Competency estimate engine: every rule of content-and-scoring.md "Competency framework"."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.competency.engine import (
    CompetencyEstimate,
    EvidenceItem,
    competent_min,
    estimate_competencies,
    estimate_history,
    item_value,
    kept_items,
    level_for,
    quiz_items,
    rating_items,
    vignette_items,
)

FRAMEWORK_FILE = Path(__file__).resolve().parents[2] / "curriculum" / "competencies.yaml"
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
LEVELS = [
    {"level": 1, "name": "Not yet competent", "min": 0.0},
    {"level": 2, "name": "Developing", "min": 0.5},
    {"level": 3, "name": "Competent", "min": 0.7, "competent": True},
    {"level": 4, "name": "Proficient", "min": 0.85},
]
# No min_evidence, window or source_weights: the defaults apply (3, 10, 0.5/1.0/2.0).
FRAMEWORK = {
    "levels": LEVELS,
    "competencies": [
        {"id": "k", "title": "Knowledge"},
        {"id": "obs", "title": "Observed skill", "observed": True},
    ],
}


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


def ev(source="vignette", f=0.7, p=0.7, minute=0, order=0, tags=("k",)):
    return EvidenceItem(source, at(minute), order, tuple(tags), f, p)


def only(framework, items, cid="k"):
    return next(e for e in estimate_competencies(framework, items) if e.id == cid)


# --- value -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "p", "c", "expected"),
    [
        (0.0, 0.8, 0.7, 0.0),  # nothing right
        (0.4, 0.8, 0.7, 0.35),  # f < p: c * f / p
        (0.8, 0.8, 0.7, 0.7),  # f == p: exactly the competent min
        (0.9, 0.8, 0.7, 0.85),  # f > p: c + (1 - c)(f - p)/(1 - p)
        (1.0, 0.8, 0.7, 1.0),  # everything right
        (0.75, 0.5, 0.7, 0.85),  # a 4 on a 1..5 scale whose pass mean is 3
        (1.0, 1.0, 0.7, 1.0),  # p == 1 and f == 1
        (0.5, 1.0, 0.7, 0.35),  # p == 1 and f < 1
        (0.6, 0.6, 0.5, 0.5),  # another framework's competent min
        (0.5, 0.0, 0.7, 0.85),  # p == 0 (pass mean at the scale's minimum): never below c
    ],
)
def test_item_value_puts_the_pass_standard_on_the_competent_min(f, p, c, expected):
    assert item_value(f, p, c) == expected


@pytest.mark.parametrize(("f", "p"), [(-0.1, 0.8), (1.1, 0.8), (0.5, -0.1), (0.5, 1.2)])
def test_item_value_rejects_fractions_out_of_range(f, p):
    with pytest.raises(ValueError, match="outside"):
        item_value(f, p, 0.7)


# --- level -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("estimate", "count", "observed", "rated", "expected"),
    [
        (None, 0, False, False, 0),  # no evidence
        (0.9, 2, False, False, 0),  # below min_evidence: not yet assessed
        (0.0, 3, False, False, 1),
        (0.4999, 3, False, False, 1),
        (0.5, 3, False, False, 2),  # a level's min is inclusive
        (0.6999, 3, False, False, 2),
        (0.7, 3, False, False, 3),
        (0.85, 3, False, False, 4),
        (1.0, 3, False, False, 4),
        (0.9, 3, True, False, 2),  # observed without a session rating: capped below competent
        (0.9, 3, True, True, 4),  # observed with a session rating: no cap
        (0.6, 3, True, False, 2),  # the cap never raises a level
        (0.3, 3, True, False, 1),
    ],
)
def test_level_for(estimate, count, observed, rated, expected):
    assert level_for(FRAMEWORK, estimate, count, observed, rated) == expected


def test_level_for_uses_the_framework_min_evidence():
    framework = {**FRAMEWORK, "min_evidence": 1}
    assert level_for(framework, 0.7, 1, False, False) == 3


def test_observed_cap_is_zero_when_the_competent_level_is_the_lowest():
    levels = [{"level": 1, "name": "Competent", "min": 0.0, "competent": True}]
    assert level_for({"levels": levels}, 0.9, 3, True, False) == 0


def test_competent_min_reads_the_level_marked_competent():
    assert competent_min(FRAMEWORK) == 0.7


# --- estimate --------------------------------------------------------------------------------

AT_PASS = [ev(minute=i) for i in range(3)]  # three vignette stages at the pass mark: value 0.7


@pytest.mark.parametrize(
    ("items", "estimate", "level", "count"),
    [
        pytest.param([], None, 0, 0, id="no evidence: estimate None, level 0"),
        pytest.param(AT_PASS[:1], 0.7, 0, 1, id="below min_evidence: estimate reported, level 0"),
        pytest.param(AT_PASS[:2], 0.7, 0, 2, id="two items: still not yet assessed"),
        pytest.param(AT_PASS, 0.7, 3, 3, id="three items at the pass mark: competent"),
        pytest.param(
            [ev("quiz", 0.4, 0.8), ev("vignette", 0.7, 0.7), ev("session_rating", 1.0, 0.5)],
            0.8214, 3, 3,
            id="weights: (0.5*0.35 + 1*0.7 + 2*1.0) / 3.5",
        ),
        pytest.param(
            [ev("quiz", 1.0, 0.8), ev("quiz", 1.0, 0.8), ev("vignette", 0.0, 0.7)],
            0.5, 2, 3,
            id="weights: two perfect quizzes weigh as one failed vignette",
        ),
        pytest.param(
            [ev(f=0.7), ev(f=0.7), ev(f=0.0)], 0.4667, 1, 3, id="rounding: 1.4/3 = 0.46666..."
        ),
        pytest.param(
            [ev("quiz", 0.8, 0.8, minute=i) for i in range(1, 11)] + [ev("quiz", 0.0, 0.8)],
            0.7, 3, 10,
            id="window: of 11 quiz items the newest 10 are kept (the oldest, listed last)",
        ),
        pytest.param(
            [ev("quiz", 0.8, 0.8, minute=i) for i in range(11)]
            + [ev("vignette", 1.0, 0.7), ev("session_rating", 0.5, 0.5)],
            0.7375, 3, 12,
            id="window per source: 10 quiz + 1 vignette + 1 rating kept: (3.5 + 1 + 1.4) / 8",
        ),
    ],
)
def test_estimate(items, estimate, level, count):
    result = only(FRAMEWORK, items)
    assert (result.estimate, result.level, result.evidence_count) == (estimate, level, count)


def test_window_keeps_the_newest_by_time_then_order():
    framework = {**FRAMEWORK, "window": 1}
    same_time = [ev(f=1.0, order=2), ev(f=0.0, order=1)]
    assert kept_items(same_time, 1) == [same_time[0]]
    assert only(framework, same_time).estimate == 1.0
    older_but_later_stage = [ev(f=1.0, minute=0, order=5), ev(f=0.0, minute=1, order=0)]
    assert only(framework, older_but_later_stage).estimate == 0.0


@pytest.mark.parametrize(
    ("f", "estimate"),
    [
        (0.2469, 0.1235),  # 0.5 * 0.2469 = 0.12345 exactly: half rounds up (a float would not)
        (0.24689, 0.1234),  # 0.123445: down
        (0.99999, 0.5),  # 0.499995: up to 0.5000
    ],
)
def test_estimate_rounds_half_up_to_4_places_exactly(f, estimate):
    levels = [{"level": 1, "name": "Low", "min": 0.0},
              {"level": 2, "name": "Competent", "min": 0.5, "competent": True}]
    framework = {"levels": levels, "competencies": [{"id": "k", "title": "K"}]}
    assert only(framework, [ev("vignette", f, 1.0)]).estimate == estimate


@pytest.mark.parametrize(
    ("items", "level", "observed"),
    [
        pytest.param([ev("quiz", 0.9, 0.7, tags=["obs"], minute=i) for i in range(3)], 2, False,
                     id="quiz only: estimate 0.9 capped at level 2"),
        pytest.param([ev("vignette", 0.9, 0.7, tags=["obs"], minute=i) for i in range(3)], 2,
                     False, id="vignettes only: capped"),
        pytest.param([ev("vignette", 0.9, 0.7, tags=["obs"], minute=i) for i in range(2)]
                     + [ev("session_rating", 0.9, 0.7, tags=["obs"])], 4, True,
                     id="one session rating lifts the cap"),
    ],
)
def test_observed_competency_needs_a_session_rating_to_reach_competent(items, level, observed):
    result = only(FRAMEWORK, items, "obs")
    assert (result.estimate, result.level, result.has_observed_evidence) == (0.9, level, observed)


def test_custom_weights_and_window_are_used():
    framework = {**FRAMEWORK, "source_weights": {"quiz": 1.0, "vignette": 1.0,
                                                 "session_rating": 1.0}, "window": 2}
    items = [ev("quiz", 0.0, 0.8, minute=0), ev("quiz", 0.8, 0.8, minute=1),
             ev("quiz", 0.8, 0.8, minute=2), ev("vignette", 1.0, 0.7)]
    result = only(framework, items)
    assert (result.estimate, result.evidence_count) == (0.8, 3)  # (0.7 + 0.7 + 1.0) / 3


def test_one_result_per_competency_in_file_order_and_tags_select_items():
    items = [ev(tags=["k", "obs"], minute=i) for i in range(3)] + [ev(f=0.0, tags=["other"])]
    assert estimate_competencies(FRAMEWORK, items) == [
        CompetencyEstimate("k", "Knowledge", 0.7, 3, 3, False),
        CompetencyEstimate("obs", "Observed skill", 0.7, 2, 3, False),
    ]


def test_unknown_source_is_rejected():
    with pytest.raises(ValueError, match="unknown evidence source"):
        estimate_competencies(FRAMEWORK, [ev("self_rating")])


# --- evidence from plain dicts ---------------------------------------------------------------


def test_quiz_items_map_fraction_and_pass_mark():
    attempts = [{"time": at(5), "fraction": 0.6, "pass_mark": 0.8, "competencies": ["a", "b"]}]
    assert quiz_items(attempts) == [EvidenceItem("quiz", at(5), 0, ("a", "b"), 0.6, 0.8)]


def test_vignette_items_skip_unscored_stages_and_fall_back_to_the_vignette_tags():
    attempt = {
        "time": at(1),
        "pass_mark": 0.7,
        "competencies": ["vig"],
        "stages": [
            {"score": 0.5, "competencies": ["risk"]},
            {"score": None, "competencies": ["risk"]},  # a text stage awaiting its rating
            {"score": 1.0, "competencies": []},
        ],
    }
    assert vignette_items([attempt]) == [
        EvidenceItem("vignette", at(1), 0, ("risk",), 0.5, 0.7),
        EvidenceItem("vignette", at(1), 2, ("vig",), 1.0, 0.7),
    ]


def test_rating_items_map_the_scale_onto_fractions_and_skip_na():
    rating = {
        "time": at(2),
        "scale_min": 1,
        "scale_max": 5,
        "pass_mean": 3.0,
        "items": [
            {"score": 4, "competencies": ["obs"]},
            {"score": None, "competencies": ["obs"]},
            {"score": 1, "competencies": ["k"]},
            {"score": 5, "competencies": ["k", "obs"]},
        ],
    }
    assert rating_items([rating]) == [
        EvidenceItem("session_rating", at(2), 0, ("obs",), 0.75, 0.5),
        EvidenceItem("session_rating", at(2), 2, ("k",), 0.0, 0.5),
        EvidenceItem("session_rating", at(2), 3, ("k", "obs"), 1.0, 0.5),
    ]
    assert [item_value(i.f, i.p, 0.7) for i in rating_items([rating])] == [0.85, 0.0, 1.0]


# --- the real framework ----------------------------------------------------------------------


def test_real_framework_file_loads_and_estimates():
    framework = yaml.safe_load(FRAMEWORK_FILE.read_text(encoding="utf-8"))
    quizzes = quiz_items(
        [{"time": at(i), "fraction": 0.8, "pass_mark": 0.8,
          "competencies": ["ipt-knowledge", "assessment-inventory"]} for i in range(3)])
    ratings = rating_items(
        [{"time": at(10 + i), "scale_min": 1, "scale_max": 5, "pass_mean": 3.0,
          "items": [{"score": 4, "competencies": ["risk-collaboration"]}]} for i in range(3)])
    results = {e.id: e for e in estimate_competencies(framework, quizzes + ratings)}
    assert list(results) == [c["id"] for c in framework["competencies"]]
    assert (results["ipt-knowledge"].estimate, results["ipt-knowledge"].level) == (0.7, 3)
    assert (results["assessment-inventory"].estimate,
            results["assessment-inventory"].level) == (0.7, 2)  # observed: capped
    assert (results["risk-collaboration"].estimate,
            results["risk-collaboration"].level) == (0.85, 4)
    assert (results["adaptations"].estimate, results["adaptations"].level) == (None, 0)


def test_history_keeps_every_day_up_to_the_limit_then_spreads_them_evenly():
    from trainer.competency.queries import HISTORY_POINTS, history

    few = [ev(minute=day * 24 * 60) for day in range(5)]
    assert [d.day for d, _ in history(0, 0, few, FRAMEWORK)] == [1, 2, 3, 4, 5]
    many = [ev(minute=day * 24 * 60) for day in range(100)]
    points = history(0, 0, many, FRAMEWORK)
    assert len(points) == HISTORY_POINTS
    assert points[0][0] == T0.date() and points[-1][0] == (T0 + timedelta(days=99)).date()
    last = next(e for e in points[-1][1] if e.id == "k")
    assert last == only(FRAMEWORK, many)  # the last point is today's profile


# --- history ---------------------------------------------------------------------------------

SMALL_WINDOW = {**FRAMEWORK, "window": 2, "min_evidence": 1,
                "source_weights": {"quiz": 1, "vignette": 3, "session_rating": 0.25}}
EVIDENCE = st.lists(st.builds(
    ev, source=st.sampled_from(["quiz", "vignette", "session_rating"]),
    f=st.sampled_from([0.0, 0.3, 0.7, 0.85, 1.0]), p=st.sampled_from([0.6, 0.7, 0.8]),
    minute=st.integers(0, 6 * 24 * 60), order=st.integers(0, 3),
    tags=st.sampled_from([("k",), ("obs",), ("k", "obs"), ()])), max_size=40)


@settings(max_examples=150, deadline=None)
@given(items=EVIDENCE, framework=st.sampled_from([FRAMEWORK, SMALL_WINDOW]))
def test_the_history_in_one_pass_is_the_estimate_of_each_day_recomputed(items, framework):
    days = sorted({i.time.date() for i in items} | {(T0 - timedelta(days=1)).date()})
    naive = [estimate_competencies(framework, [i for i in items if i.time.date() <= day])
             for day in days]
    assert estimate_history(framework, items, days) == naive


def test_the_history_keeps_only_the_window_of_each_source():
    framework = {**SMALL_WINDOW, "source_weights": None}
    items = [ev(f=0.0, minute=0), ev(f=1.0, p=0.8, minute=2 * 24 * 60),
             ev(f=1.0, p=0.8, minute=3 * 24 * 60)]
    first, _, last = estimate_history(framework, items, sorted({i.time.date() for i in items}))
    assert first[0].estimate == 0.0 and first[0].evidence_count == 1
    assert last[0].estimate == 1.0 and last[0].evidence_count == 2  # the 0.0 dropped out
