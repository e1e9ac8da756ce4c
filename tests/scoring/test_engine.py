"""Scoring engine: every rule of content-and-scoring.md "Scoring (exact)", stated as numbers."""

from pathlib import Path

import pytest
import yaml

from trainer.errors import DomainError
from trainer.scoring.engine import (
    AnswerError,
    CriticalError,
    StageResult,
    expert_key,
    option_points,
    score_attempt,
    stage_max,
    validate_answers,
)

VIGNETTES = sorted((Path(__file__).resolve().parents[2] / "vignettes").glob("*.y*ml"))


# --- builders: the smallest vignettes that show each rule ----------------------------------


def opt(oid, points, **flags):
    return {"id": oid, "label": oid.upper(), "points": points, "feedback": "why", **flags}


def single(sid, *options, **extra):
    return {"id": sid, "kind": "single", "options": list(options), **extra}


def multiple(sid, *options, **extra):
    return {"id": sid, "kind": "multiple", "options": list(options), **extra}


def panel(sid, **counts):
    options = [{"id": o, "label": o, "panel": n, "feedback": "why"} for o, n in counts.items()]
    return {"id": sid, "kind": "single", "scoring": "panel", "options": options}


def text(sid, scores=(0, 1, 2, 3), **extra):
    levels = [{"score": score, "descriptor": f"level {score}"} for score in scores]
    return {"id": sid, "kind": "text", "model_answer": "model", "levels": levels, **extra}


def vignette(*stages, pass_mark=0.7):
    return {"id": "v", "pass_mark": pass_mark, "stages": list(stages)}


SINGLE = single("s", opt("a", 3), opt("b", 1), opt("c", 0), opt("d", -1))
MULTI = multiple("m", opt("a", 3), opt("b", 2), opt("c", 1), opt("d", -2), max_choices=2)
PANEL = panel("p", most=8, some=3, one=1, none=0)


# --- stage scores ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "chosen", "expected"),
    [
        (SINGLE, ["a"], 1.0),  # best option
        (SINGLE, ["b"], 0.3333),  # partial: 1/3
        (SINGLE, ["c"], 0.0),
        (SINGLE, ["d"], 0.0),  # negative points clamped to 0
        (single("s", opt("a", 3), opt("b", 2)), ["b"], 0.6667),  # 2/3 rounds up
        (MULTI, ["a", "b"], 1.0),  # max = 3 + 2, the max_choices largest positives
        (MULTI, ["b", "a"], 1.0),
        (MULTI, ["a", "c"], 0.8),
        (MULTI, ["b"], 0.4),
        (MULTI, ["a", "d"], 0.2),  # a negative option reduces the total
        (MULTI, ["c", "d"], 0.0),  # negative total clamped to 0
        (MULTI, ["d"], 0.0),
        (multiple("m", opt("a", 2), opt("b", 1), opt("c", -1)), ["a", "b", "c"], 0.6667),
        (multiple("m", opt("a", 2), opt("b", 1), opt("c", -1)), ["a", "b"], 1.0),
        (multiple("m", opt("a", 3), opt("b", -1), max_choices=2), ["a"], 1.0),  # one positive
        (PANEL, ["some"], 0.375),  # panel 3 of the top 8
        (PANEL, ["most"], 1.0),
        (PANEL, ["one"], 0.125),
        (PANEL, ["none"], 0.0),
        (single("s", opt("a", 20000), opt("b", 1)), ["b"], 0.0001),  # 0.00005 rounds half-up
    ],
)
def test_stage_score_follows_the_formula(stage, chosen, expected):
    result = score_attempt(vignette(stage), {stage["id"]: chosen})
    assert result.stages[0].score == expected
    assert result.score == expected


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (SINGLE, 3),
        (MULTI, 5),
        (multiple("m", opt("a", 2), opt("b", 1), opt("c", -1)), 3),  # default: all options
        (multiple("m", opt("a", 3), opt("b", -1), max_choices=2), 3),  # positives only
        (multiple("m", opt("a", 1), opt("b", 4), opt("c", 4), max_choices=2), 8),
        (PANEL, 8),
        (text("t", scores=(0, 2, 5)), 5),
    ],
)
def test_stage_max(stage, expected):
    assert stage_max(stage) == expected


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (SINGLE, {"a": 3, "b": 1, "c": 0, "d": -1}),
        (PANEL, {"most": 8, "some": 3, "one": 1, "none": 0}),
        (text("t"), {}),
    ],
)
def test_option_points(stage, expected):
    assert option_points(stage) == expected


# --- the vignette score: weights and rounding -----------------------------------------------


def weighted(right_weight, wrong_weight, pass_mark=0.7):
    """A vignette whose exact score is right_weight / (right_weight + wrong_weight)."""
    right = single("right", opt("a", 1), opt("b", 0), weight=right_weight)
    wrong = single("wrong", opt("a", 1), opt("b", 0), weight=wrong_weight)
    return vignette(right, wrong, pass_mark=pass_mark), {"right": ["a"], "wrong": ["b"]}


@pytest.mark.parametrize(
    ("right_weight", "wrong_weight", "expected"),
    [
        (1, 1, 0.5),
        (2, 1, 0.6667),
        (1, 2, 0.3333),
        (0.5, 1.5, 0.25),
        (3, 1, 0.75),
        (2469, 17531, 0.1235),  # exactly 0.12345: the tie rounds up
        (1, 19999, 0.0001),  # exactly 0.00005
        (0.12345, 0.87655, 0.1235),  # decimal weights are exact: no binary 0.123449999...
        (13999, 6001, 0.7),  # 0.69995
        (69994, 30006, 0.6999),
    ],
)
def test_vignette_score_is_weighted_mean_rounded_half_up(right_weight, wrong_weight, expected):
    assert score_attempt(*weighted(right_weight, wrong_weight)).score == expected


def test_vignette_score_uses_exact_stage_scores_not_rounded_ones():
    tiny = single("tiny", opt("a", 20000), opt("b", 1))  # 0.00005, shown as 0.0001
    zero = single("zero", opt("a", 1), opt("b", 0))
    result = score_attempt(vignette(tiny, zero), {"tiny": ["b"], "zero": ["b"]})
    assert [stage.score for stage in result.stages] == [0.0001, 0.0]
    assert result.score == 0.0  # exact 0.000025, not (0.0001 + 0) / 2


@pytest.mark.parametrize(
    ("right_weight", "wrong_weight", "pass_mark", "status"),
    [
        (3, 1, 0.75, "passed"),  # exactly the pass mark passes
        (7, 3, 0.7, "passed"),
        (13999, 6001, 0.7, "passed"),  # 0.69995 rounds to 0.7: the rounded score is compared
        (69994, 30006, 0.7, "failed"),  # 0.6999
        (1, 1, 0.5001, "failed"),
        (1, 0.0001, 1, "failed"),  # 0.9999
    ],
)
def test_pass_mark_compares_the_rounded_score(right_weight, wrong_weight, pass_mark, status):
    result = score_attempt(*weighted(right_weight, wrong_weight, pass_mark))
    assert (result.status, result.provisional) == (status, False)


def test_full_marks_pass_a_pass_mark_of_one():
    result = score_attempt(vignette(SINGLE, pass_mark=1), {"s": ["a"]})
    assert (result.score, result.status) == (1.0, "passed")


# --- critical errors ------------------------------------------------------------------------

RISK = multiple(
    "risk",
    opt("ask", 3, required=True),
    opt("move-on", -2, critical=True),
    opt("plan", 2, required=True),
    opt("note", 1),
    max_choices=3,
)
FIRST = single("first", opt("good", 2), opt("harmful", 0, critical=True), opt("ok", 1))


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        ({"first": ["good"], "risk": ["ask", "plan", "note"]}, []),
        ({"first": ["harmful"], "risk": ["ask", "plan"]}, [("first", "harmful", "chose-critical")]),
        ({"first": ["good"], "risk": ["ask", "note"]}, [("risk", "plan", "omitted-required")]),
        (
            {"first": ["harmful"], "risk": ["note", "move-on"]},
            [
                ("first", "harmful", "chose-critical"),
                ("risk", "ask", "omitted-required"),  # stage order, then option file order
                ("risk", "move-on", "chose-critical"),
                ("risk", "plan", "omitted-required"),
            ],
        ),
    ],
)
def test_critical_errors_in_stage_then_option_order(answers, errors):
    result = score_attempt(vignette(FIRST, RISK), answers)
    assert result.critical_errors == tuple(CriticalError(*error) for error in errors)
    assert result.status == ("failed" if errors else "passed")


def test_chosen_critical_fails_even_with_a_high_score():
    heavy = single("heavy", opt("a", 1), weight=20)
    result = score_attempt(vignette(heavy, FIRST), {"heavy": ["a"], "first": ["harmful"]})
    assert result.score == 0.9524
    assert (result.status, result.provisional) == ("failed", False)


def test_omitted_required_fails_even_with_a_high_score():
    result = score_attempt(vignette(RISK, pass_mark=0.5), {"risk": ["ask", "note"]})
    assert result.score == 0.6667  # 4 of the best 6
    assert result.status == "failed"
    assert result.critical_errors == (CriticalError("risk", "plan", "omitted-required"),)


# --- text stages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "score", "status", "text_score"),
    [
        (None, 0.3333, "pending", None),  # provisional over the scored stage only
        ({}, 0.3333, "pending", None),
        ({"t": None}, 0.3333, "pending", None),  # None means not rated yet
        ({"t": 3}, 0.6667, "failed", 1.0),  # (1/3 + 1) / 2
        ({"t": 2}, 0.5, "failed", 0.6667),
        ({"t": 0}, 0.1667, "failed", 0.0),
    ],
)
def test_text_stage_is_pending_until_rated(levels, score, status, text_score):
    result = score_attempt(vignette(SINGLE, text("t")), {"s": ["b"], "t": "My plan."}, levels)
    assert (result.score, result.status, result.provisional) == (score, status, status == "pending")
    level = (levels or {}).get("t")
    assert result.stages[1] == StageResult("t", "text", text_score, (), "My plan.", level)


@pytest.mark.parametrize(
    ("levels", "score", "status"),
    [(None, None, "pending"), ({"t": 2}, 0.4, "failed"), ({"t": 5}, 1.0, "passed")],
)
def test_only_text_stages(levels, score, status):
    result = score_attempt(vignette(text("t", scores=(0, 2, 5))), {"t": "An answer."}, levels)
    assert (result.score, result.status, result.provisional) == (score, status, status == "pending")


@pytest.mark.parametrize("levels", [None, {"t": 3}])
def test_critical_error_fails_a_rated_or_pending_text_attempt(levels):
    result = score_attempt(vignette(FIRST, text("t")), {"first": ["harmful"], "t": "x"}, levels)
    assert (result.status, result.provisional) == ("failed", False)


def test_stage_results_keep_the_order_given_and_the_text():
    result = score_attempt(vignette(MULTI, text("t")), {"m": ["c", "a"], "t": "  Plan.\n"})
    assert result.stages == (
        StageResult("m", "multiple", 0.8, ("c", "a"), None, None),
        StageResult("t", "text", None, (), "Plan.", None),
    )


# --- expert key -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (SINGLE, ["a"]),
        (single("s", opt("a", 1), opt("b", 3), opt("c", 3)), ["b", "c"]),  # ties: all highest
        (MULTI, ["a", "b"]),
        (
            multiple("m", opt("a", 2), opt("b", 3), opt("c", 2), opt("d", 2), max_choices=3),
            ["a", "b", "c"],  # b, then the tie at 2 broken by file order
        ),
        (multiple("m", opt("a", 3), opt("b", 0), opt("c", -1), max_choices=3), ["a"]),
        (multiple("m", opt("a", 1), opt("b", 2), opt("c", -1)), ["a", "b"]),  # default max
        (PANEL, ["most"]),
        (panel("p", x=2, y=5, z=5), ["y", "z"]),
        (text("t"), []),
    ],
)
def test_expert_key(stage, expected):
    assert expert_key(stage) == expected


# --- bad input ------------------------------------------------------------------------------

BAD = vignette(
    single("s", opt("a", 1), opt("b", 0)),
    multiple("m", opt("a", 2), opt("b", 1), opt("c", 0), max_choices=2),
    text("t"),
)
GOOD = {"s": ["a"], "m": ["a", "b"], "t": "An answer."}


def answers_with(**changes):
    return {key: value for key, value in {**GOOD, **changes}.items() if value is not ...}


@pytest.mark.parametrize(
    ("answers", "fields"),
    [
        (["a"], {"answers": ["Send the answers as an object keyed by stage id."]}),
        (None, {"answers": ["Send the answers as an object keyed by stage id."]}),
        (answers_with(zz=["a"]), {"answers.zz": ["Unknown stage 'zz'."]}),
        (answers_with(t=...), {"answers.t": ["Answer this stage."]}),
        (answers_with(s="a"), {"answers.s": ["Send the choices as a list of option ids."]}),
        (answers_with(m=None), {"answers.m": ["Send the choices as a list of option ids."]}),
        (answers_with(s=[1]), {"answers.s": ["Each choice must be an option id (text)."]}),
        (answers_with(m=["a", None]), {"answers.m": ["Each choice must be an option id (text)."]}),
        (answers_with(s=[]), {"answers.s": ["Choose exactly one option."]}),
        (answers_with(s=["a", "b"]), {"answers.s": ["Choose exactly one option."]}),
        (answers_with(m=[]), {"answers.m": ["Choose at least one option."]}),
        (answers_with(m=["a", "b", "c"]), {"answers.m": ["Choose at most 2 options."]}),
        (answers_with(s=["x"]), {"answers.s": ["Unknown option 'x'."]}),
        (answers_with(m=["a", "x"]), {"answers.m": ["Unknown option 'x'."]}),
        (answers_with(m=["a", "a"]), {"answers.m": ["Option 'a' is chosen more than once."]}),
        (answers_with(t=["text"]), {"answers.t": ["Write the answer as text."]}),
        (answers_with(t=None), {"answers.t": ["Write the answer as text."]}),
        (answers_with(t=""), {"answers.t": ["Write an answer: it cannot be blank."]}),
        (answers_with(t=" \n\t "), {"answers.t": ["Write an answer: it cannot be blank."]}),
    ],
)
def test_bad_answer_is_rejected_with_its_field(answers, fields):
    with pytest.raises(AnswerError) as caught:
        validate_answers(BAD, answers)
    assert caught.value.fields == fields
    assert caught.value.message == next(iter(fields.values()))[0]
    with pytest.raises(AnswerError):
        score_attempt(BAD, answers)  # never scored


def test_every_problem_of_a_submission_is_reported_at_once():
    answers = {"s": ["a", "x"], "m": ["a", "a", "x"], "t": "  ", "zz": []}
    with pytest.raises(AnswerError) as caught:
        validate_answers(BAD, answers)
    assert caught.value.fields == {
        "answers.s": ["Choose exactly one option.", "Unknown option 'x'."],
        "answers.m": [
            "Choose at most 2 options.",
            "Unknown option 'x'.",
            "Option 'a' is chosen more than once.",
        ],
        "answers.t": ["Write an answer: it cannot be blank."],
        "answers.zz": ["Unknown stage 'zz'."],
    }
    assert caught.value.message == "7 problems with the answers."


def test_answer_error_is_a_422_domain_error():
    with pytest.raises(DomainError) as caught:
        validate_answers(BAD, {})
    assert (caught.value.status, caught.value.code) == (422, "invalid")
    assert set(caught.value.fields) == {"answers.s", "answers.m", "answers.t"}


def test_at_most_one_option_uses_the_singular():
    stage = multiple("m", opt("a", 1), opt("b", 1), max_choices=1)
    with pytest.raises(AnswerError) as caught:
        validate_answers(vignette(stage), {"m": ["a", "b"]})
    assert caught.value.fields == {"answers.m": ["Choose at most 1 option."]}


NOT_TEXT = "Only a text stage of this vignette can be rated with a level."


@pytest.mark.parametrize(
    ("levels", "fields"),
    [
        ({"t": 4}, {"text_levels.t": ["Choose one of the levels 0, 1, 2, 3."]}),
        ({"t": "2"}, {"text_levels.t": ["Choose one of the levels 0, 1, 2, 3."]}),
        ({"t": True}, {"text_levels.t": ["Choose one of the levels 0, 1, 2, 3."]}),
        ({"s": 1}, {"text_levels.s": [NOT_TEXT]}),
        ({"zz": 1}, {"text_levels.zz": [NOT_TEXT]}),
        ([3], {"text_levels": ["Send the levels as an object keyed by stage id."]}),
    ],
)
def test_bad_text_level_is_rejected(levels, fields):
    with pytest.raises(AnswerError) as caught:
        score_attempt(BAD, GOOD, levels)
    assert caught.value.fields == fields


def test_bad_level_and_bad_answer_are_reported_together():
    with pytest.raises(AnswerError) as caught:
        score_attempt(BAD, answers_with(s=[]), {"t": 9})
    assert set(caught.value.fields) == {"answers.s", "text_levels.t"}


def test_validate_answers_normalises_in_stage_order():
    answers = {"t": "  An answer.\n", "m": ["b", "a"], "s": ["a"]}
    normalised = validate_answers(BAD, answers)
    assert list(normalised.items()) == [("s", ["a"]), ("m", ["b", "a"]), ("t", "An answer.")]
    assert normalised["m"] is not answers["m"]


def test_engine_reads_the_vignette_afresh_on_every_call():
    stage = single("s", opt("a", 4), opt("b", 1))
    content = vignette(stage)
    assert score_attempt(content, {"s": ["b"]}).score == 0.25
    stage["options"][0]["points"] = 2
    stage["weight"] = 3
    assert score_attempt(content, {"s": ["b"]}).score == 0.5
    assert expert_key(stage) == ["a"]


# --- the shipped vignettes ------------------------------------------------------------------


def expert_attempt(content):
    """The expert key for every choice stage and the top level for every text stage."""
    answers, levels = {}, {}
    for stage in content["stages"]:
        if stage["kind"] == "text":
            answers[stage["id"]] = "The model answer."
            levels[stage["id"]] = stage_max(stage)
        else:  # a single stage with tied best options takes the first of them
            key = expert_key(stage)
            answers[stage["id"]] = key[:1] if stage["kind"] == "single" else key
    return answers, levels


def test_there_are_vignettes_to_check():
    assert VIGNETTES


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda path: path.stem)
def test_expert_key_passes_every_shipped_vignette(path):
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = score_attempt(content, *expert_attempt(content))
    assert result.critical_errors == ()
    assert (result.status, result.provisional) == ("passed", False)
    assert result.score == 1.0
