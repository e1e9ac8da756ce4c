"""The item analysis engine against a worked example computed by hand, and table-driven edge
cases of every definition in content-and-scoring.md ("Item analysis")."""

import math
from fractions import Fraction

import pytest

from trainer.itemanalysis.engine import (
    Item,
    Option,
    OptionStats,
    Response,
    analyse,
    check_items,
    check_response,
    flags,
    group_size,
    pearson,
    vignette_items,
    vignette_response,
)

# --- the worked example: 6 attempts by 3 right/wrong questions -----------------------------
#
# Every question has options a (keyed), b and c. Attempt ids 1..6 (1 is the oldest).
#
#   attempt   q1 q2 q3   T    chosen (q1 q2 q3)
#   1          1  1  1   3    a  a  a
#   2          1  1  0   2    a  a  b
#   3          1  0  1   2    a  c  a
#   4          0  1  0   1    b  a  b
#   5          1  0  0   1    a  b  c
#   6          0  0  0   0    b  c  b
#
# Whole check: ΣT = 9, mean = 9/6 = 1.5; ΣT² = 19, sample variance = (19 − 9²/6)/5 = 1.1,
# sd = √1.1 = 1.0488. Alpha: null (fewer than 30 attempts).
#
# Upper/lower groups: ceil(0.27 · 6) = ceil(1.62) = 2 attempts each. Sorted by T, highest
# first, ties by id (oldest first): 1 (3), 2 (2), 3 (2), 4 (1), 5 (1), 6 (0); upper = {1, 2},
# lower = {5, 6}. (Were ties broken newest first: upper {1, 3}, lower {4, 6}.)
#
# Discrimination r(x, rest) with S_xx = nΣx² − (Σx)², S_yy likewise, S_xy = nΣxy − ΣxΣy:
#   q1: x = 1 1 1 0 1 0, rest = 2 1 1 1 0 0; Σx = 4, Σx² = 4, Σr = 5, Σr² = 7, Σxr = 4
#       S_xx = 24 − 16 = 8, S_rr = 42 − 25 = 17, S_xr = 24 − 20 = 4, r = 4/√136 = 0.3430
#       facility 4/6 = 0.6667; upper mean (1 + 1)/2 − lower mean (1 + 0)/2 = 0.5
#   q2: x = 1 1 0 1 0 0, rest = 2 1 2 0 1 0; Σx = 3, Σx² = 3, Σr = 6, Σr² = 10, Σxr = 3
#       S_xx = 18 − 9 = 9, S_rr = 60 − 36 = 24, S_xr = 18 − 18 = 0, r = 0
#       facility 3/6 = 0.5; upper 1 − lower 0 = 1.0
#   q3: x = 1 0 1 0 0 0, rest = 2 2 1 1 1 0; Σx = 2, Σx² = 2, Σr = 7, Σr² = 11, Σxr = 3
#       S_xx = 12 − 4 = 8, S_rr = 66 − 49 = 17, S_xr = 18 − 14 = 4, r = 4/√136 = 0.3430
#       facility 2/6 = 0.3333; upper (1 + 0)/2 − lower 0 = 0.5
# Options (chosen, upper {1, 2}, lower {5, 6}):
#   q1: a 4, 2, 1   b 2, 0, 1   c 0, 0, 0
#   q2: a 3, 2, 0   b 1, 0, 1   c 2, 0, 1
#   q3: a 2, 1, 0   b 3, 1, 1   c 1, 0, 1
# Flags: n = 6 < 30, so only "too-few" on every question.

QUESTIONS = [Item(q, (Option("a", True), Option("b", False), Option("c", False)))
             for q in ("q1", "q2", "q3")]
TABLE = [  # attempt id, (q1, q2, q3) options chosen; a is right
    (1, "aaa"), (2, "aab"), (3, "aca"), (4, "bab"), (5, "abc"), (6, "bcb"),
]


def responses(copies: int = 1) -> list[Response]:
    """The table, repeated `copies` times with fresh ids (copy c gives ids 6c + 1 .. 6c + 6)."""
    out = []
    for copy in range(copies):
        for attempt_id, chosen in TABLE:
            picked = dict(zip(("q1", "q2", "q3"), chosen, strict=True))
            out.append(Response(6 * copy + attempt_id,
                                {q: float(c == "a") for q, c in picked.items()},
                                {q: (c,) for q, c in picked.items()}))
    return out


R_Q1 = 4 / math.sqrt(136)  # 0.342997...


def by_id(analysis):
    return {item.id: item for item in analysis.items}


def test_worked_example_whole_check():
    result = analyse(QUESTIONS, responses())
    assert result.n == 6
    assert result.mean == pytest.approx(1.5)
    assert result.sd == pytest.approx(math.sqrt(1.1))
    assert round(result.sd, 4) == 1.0488
    assert result.alpha is None


@pytest.mark.parametrize(("qid", "n", "facility", "discrimination", "upper_lower"), [
    ("q1", 6, 4 / 6, R_Q1, 0.5),
    ("q2", 6, 0.5, 0.0, 1.0),
    ("q3", 6, 2 / 6, R_Q1, 0.5),
])
def test_worked_example_items(qid, n, facility, discrimination, upper_lower):
    item = by_id(analyse(QUESTIONS, responses()))[qid]
    assert item.n == n
    assert item.facility == pytest.approx(facility)
    assert item.discrimination == pytest.approx(discrimination, abs=1e-12)
    assert item.upper_lower == pytest.approx(upper_lower)
    assert item.flags == ("too-few",)


@pytest.mark.parametrize(("qid", "counts"), [
    ("q1", {"a": (4, 2, 1), "b": (2, 0, 1), "c": (0, 0, 0)}),
    ("q2", {"a": (3, 2, 0), "b": (1, 0, 1), "c": (2, 0, 1)}),
    ("q3", {"a": (2, 1, 0), "b": (3, 1, 1), "c": (1, 0, 1)}),
])
def test_worked_example_options(qid, counts):
    item = by_id(analyse(QUESTIONS, responses()))[qid]
    assert {o.id: (o.chosen, o.upper, o.lower) for o in item.options} == counts
    assert [o.keyed for o in item.options] == [True, False, False]


# --- the same table five times: 30 attempts -------------------------------------------------
#
# Repeating every attempt 5 times multiplies each S (nΣv² − (Σv)²) by 25, so correlations
# are unchanged and alpha = k/(k − 1) · (1 − ΣS_i / S_T) can be read off the 6 attempts:
# S_T = 6 · 19 − 81 = 33; S_q1 = 8, S_q2 = 9, S_q3 = 8, Σ = 25;
# alpha = 3/2 · (1 − 25/33) = 3/2 · 8/33 = 4/11 = 0.3636.
# (As variances: var(T) = 1.1, var(x) = 8/30, 9/30, 8/30; 1.5 · (1 − (25/30)/1.1) = 0.3636.)
#
# Groups: ceil(0.27 · 30) = ceil(8.1) = 9. Highest T first, ties by id: the five copies of
# attempt 1 (T = 3), then of the T = 2 attempts (ids 2, 3, 8, 9, 14, ...) the first four:
# 2, 3, 8, 9. Lowest: the five copies of attempt 6 (T = 0), and of the T = 1 attempts
# (ids 4, 5, 10, 11, 16, 17, 22, 23, 28, 29) the last four: 22, 23, 28, 29 (copies of 4, 5).
#   q1 upper: all 9 right; lower: attempt 5's two copies right: 2/9; index 1 − 2/9 = 7/9.
#   q1 options upper / lower: a 9 / 2, b 0 / 7, c 0 / 0.
# Flags (n = 30): q1 unused-option:c; q2 low-discrimination (r = 0 < 0.15); q3 none.


def test_thirty_attempts_give_alpha_and_flags():
    result = analyse(QUESTIONS, responses(copies=5))
    items = by_id(result)
    assert result.n == 30
    assert result.alpha == pytest.approx(4 / 11)
    assert items["q1"].upper_lower == pytest.approx(7 / 9)
    assert {o.id: (o.upper, o.lower) for o in items["q1"].options} == {
        "a": (9, 2), "b": (0, 7), "c": (0, 0)}
    assert items["q1"].discrimination == pytest.approx(R_Q1)
    assert items["q1"].flags == ("unused-option:c",)
    assert items["q2"].flags == ("low-discrimination",)
    assert items["q3"].flags == ()


# --- edge cases ----------------------------------------------------------------------------

ONE = [Item("q", (Option("a", True), Option("b", False)))]
TWO = [Item("p"), Item("q")]


def rows(*scores: tuple[float, ...]) -> list[Response]:
    """Responses to items p and q (None: not asked), ids 1, 2, ... in the order given."""
    return [Response(i + 1, {k: v for k, v in zip("pq", pair, strict=True) if v is not None})
            for i, pair in enumerate(scores)]


@pytest.mark.parametrize(("data", "n", "mean", "sd"), [
    ([], 0, None, None),
    ([(1, 0)], 1, 1.0, None),
    ([(1, 0), (0, 0)], 2, 0.5, math.sqrt(0.5)),
    ([(1, 1), (1, 1), (1, 1)], 3, 2.0, 0.0),
])
def test_mean_and_sd_need_enough_attempts(data, n, mean, sd):
    result = analyse(TWO, rows(*data))
    assert result.n == n
    assert result.mean == (None if mean is None else pytest.approx(mean))
    assert result.sd == (None if sd is None else pytest.approx(sd))


@pytest.mark.parametrize(("data", "discrimination", "upper_lower"), [
    # n < 3: no correlation, no groups
    ([(1, 1), (0, 0)], None, None),
    # n = 3: a correlation (p against rest q), still no groups (n < 4)
    ([(1, 1), (0, 0), (1, 0)], 0.5, None),
    # n = 4: groups of ceil(1.08) = 2: T = 2, 1, 1, 0 -> upper ids 1, 2; lower 3, 4
    ([(1, 1), (1, 0), (0, 1), (0, 0)], 0.0, 1.0),
    # zero variance of the item: every attempt right on p
    ([(1, 1), (1, 0), (1, 1), (1, 0)], None, 0.0),
    # zero variance of the rest: q the same everywhere
    ([(1, 1), (0, 1), (1, 1), (0, 1)], None, 1.0),
])
def test_discrimination_and_upper_lower_edge_cases(data, discrimination, upper_lower):
    item = by_id(analyse(TWO, rows(*data)))["p"]
    assert item.discrimination == (None if discrimination is None
                                   else pytest.approx(discrimination, abs=1e-12))
    assert item.upper_lower == (None if upper_lower is None else pytest.approx(upper_lower))


def test_n3_correlation_by_hand():
    # p = 1 0 1, rest (q) = 1 0 0: Σp = 2, Σp² = 2, Σq = 1, Σq² = 1, Σpq = 1
    # S_pp = 6 − 4 = 2, S_qq = 3 − 1 = 2, S_pq = 3 − 2 = 1; r = 1/√4 = 0.5
    assert pearson([1, 0, 1], [1, 0, 0]) == pytest.approx(0.5)


def test_options_have_no_group_counts_under_four_attempts():
    data = [Response(i, {"q": float(i % 2)}, {"q": ("a" if i % 2 else "b",)})
            for i in (1, 2, 3)]
    item = analyse(ONE, data).items[0]
    assert [(o.chosen, o.upper, o.lower) for o in item.options] == [(2, None, None),
                                                                    (1, None, None)]


def test_ties_in_total_are_broken_by_attempt_id_oldest_first():
    # T: 1, 1, 1, 1 for ids 1..4 (p right in 1 and 2, q right in 3 and 4). Groups of 2:
    # upper = ids 1, 2 (oldest), lower = ids 3, 4: p's index is 1 − 0 = 1, q's 0 − 1 = −1.
    data = rows((1, 0), (1, 0), (0, 1), (0, 1))
    items = by_id(analyse(TWO, data))
    assert items["p"].upper_lower == 1.0 and items["q"].upper_lower == -1.0
    # the same attempts given in another order: the same groups
    items = by_id(analyse(TWO, list(reversed(data))))
    assert items["p"].upper_lower == 1.0 and items["q"].upper_lower == -1.0


@pytest.mark.parametrize(("n", "size"), [(4, 2), (6, 2), (8, 3), (10, 3), (30, 9), (37, 10),
                                         (100, 27), (200, 54), (2000, 540)])
def test_group_size_is_the_ceiling_of_27_percent(n, size):
    assert group_size(n) == size == math.ceil(Fraction(27, 100) * n)


def test_pools_count_an_item_only_in_the_attempts_that_asked_it():
    # p asked in attempts 1-3, q in 2-4: T = 1, 1, 1, 0.
    data = rows((1, None), (0, 1), (1, 0), (None, 0))
    result = analyse(TWO, data)
    items = by_id(result)
    assert result.n == 4
    assert result.mean == pytest.approx(0.75)
    assert (items["p"].n, items["q"].n) == (3, 3)
    assert items["p"].facility == pytest.approx(2 / 3)
    assert items["q"].facility == pytest.approx(1 / 3)
    # p: x = 1 0 1, rest = 0 1 0 -> r = −1
    assert items["p"].discrimination == pytest.approx(-1.0)
    assert items["p"].upper_lower is None  # 3 attempts asked p


def test_alpha_only_over_attempts_that_asked_every_item():
    # 30 complete attempts (the worked example's), plus 10 that asked only q1: alpha is the
    # same 4/11, and those 10 count in n and in q1's figures.
    partial = [Response(100 + i, {"q1": 1.0}, {"q1": ("a",)}) for i in range(10)]
    result = analyse(QUESTIONS, responses(copies=5) + partial)
    assert result.n == 40
    assert result.alpha == pytest.approx(4 / 11)
    assert by_id(result)["q1"].n == 40 and by_id(result)["q2"].n == 30


@pytest.mark.parametrize(("items", "data", "alpha"), [
    # one item: k < 2
    (ONE, [Response(i, {"q": float(i % 2)}) for i in range(40)], None),
    # 29 complete attempts
    (TWO, rows(*[(i % 2, (i // 2) % 2) for i in range(29)]), None),
    # var(T) = 0: every attempt totals 1
    (TWO, rows(*[(i % 2, 1 - i % 2) for i in range(30)]), None),
    # a pool: no attempt asked both
    (TWO, rows(*[(1, None) if i % 2 else (None, 1) for i in range(60)]), None),
])
def test_alpha_is_null_when_undefined(items, data, alpha):
    assert analyse(items, data).alpha is alpha


def test_vignette_stage_scores_are_fractions():
    # stage scores 0.5, 0.25, 1 on p (q constant 1): facility (0.5 + 0.25 + 1)/3 = 0.5833
    result = analyse(TWO, rows((0.5, 1), (0.25, 1), (1.0, 1)))
    assert by_id(result)["p"].facility == pytest.approx(1.75 / 3)
    assert result.mean == pytest.approx((1.5 + 1.25 + 2) / 3)


def test_attempts_asking_none_of_the_items_and_unknown_items_are_left_out():
    data = [Response(1, {"zz": 1.0}), Response(2, {}), Response(3, {"p": 1.0, "zz": 1.0})]
    result = analyse(TWO, data)
    assert result.n == 1 and result.mean == 1.0


def test_no_attempts_at_all():
    result = analyse(ONE, [])
    item = result.items[0]
    assert (result.n, result.mean, result.sd, result.alpha) == (0, None, None, None)
    assert (item.n, item.facility, item.discrimination, item.upper_lower) == (0, None, None,
                                                                              None)
    assert [(o.chosen, o.upper, o.lower) for o in item.options] == [(0, None, None)] * 2
    assert item.flags == ("too-few",)


# --- flags ---------------------------------------------------------------------------------


def opts(*specs) -> tuple[OptionStats, ...]:
    """(id, keyed, chosen, upper) per option; lower is not used by any flag."""
    return tuple(OptionStats(oid, keyed, chosen, upper, 0) for oid, keyed, chosen, upper in specs)


USED = opts(("a", True, 20, 6), ("b", False, 10, 3))


@pytest.mark.parametrize(("n", "facility", "discrimination", "options", "expected"), [
    (29, Fraction(1), 0.0, opts(("a", True, 29, 8), ("b", False, 0, 0)), ("too-few",)),
    (30, Fraction(95, 100), 0.15, USED, ()),
    (30, Fraction(9501, 10000), 0.3, USED, ("easy",)),
    (30, Fraction(20, 100), 0.3, USED, ()),
    (30, Fraction(1999, 10000), 0.3, USED, ("hard",)),
    (30, Fraction(1, 2), 0.1499, USED, ("low-discrimination",)),
    (30, Fraction(1, 2), None, USED, ()),
    (30, Fraction(1, 2), 0.3, opts(("a", True, 30, 9), ("b", False, 0, 0)),
     ("unused-option:b",)),
    # a distractor the upper group chose more often than the key
    (30, Fraction(1, 2), 0.3, opts(("a", True, 12, 3), ("b", False, 18, 6)),
     ("distractor-upper:b",)),
    # as often as the key: no flag
    (30, Fraction(1, 2), 0.3, opts(("a", True, 15, 4), ("b", False, 15, 4)), ()),
    # two keyed options: it must beat every one of them
    (40, Fraction(1, 2), 0.3,
     opts(("a", True, 10, 2), ("b", True, 10, 5), ("c", False, 20, 4)), ()),
    (40, Fraction(1, 2), 0.3,
     opts(("a", True, 10, 2), ("b", True, 10, 3), ("c", False, 20, 4)),
     ("distractor-upper:c",)),
    # several at once, in the order easy/hard, discrimination, unused, distractors
    (50, Fraction(99, 100), -0.2,
     opts(("a", True, 40, 5), ("b", False, 10, 7), ("c", False, 0, 0)),
     ("easy", "low-discrimination", "unused-option:c", "distractor-upper:b")),
    # a text stage: no options
    (30, Fraction(1, 2), 0.3, (), ()),
])
def test_flags(n, facility, discrimination, options, expected):
    assert flags(n, facility, discrimination, options) == expected


def test_facility_exactly_at_a_threshold_is_not_flagged_in_the_analysis():
    # 19 of 20 right, 30 times over would be 0.95 exactly: 57 of 60 right
    data = [Response(i, {"q": float(i >= 3)}, {"q": ("a" if i >= 3 else "b",)})
            for i in range(60)]
    item = analyse(ONE, data).items[0]
    assert item.facility == pytest.approx(0.95)
    assert "easy" not in item.flags


# --- input from content and attempts -------------------------------------------------------


def test_check_items_key_the_correct_options_and_keep_the_whole_pool():
    check = {"questions": [
        {"id": "q1", "options": [{"id": "a", "correct": False}, {"id": "b", "correct": True}]},
        {"id": "q2", "options": [{"id": "x", "correct": True}, {"id": "y", "correct": True}]},
    ]}
    assert check_items(check) == [
        Item("q1", (Option("a", False), Option("b", True))),
        Item("q2", (Option("x", True), Option("y", True)))]


def test_vignette_items_key_the_expert_key():
    vignette = {"stages": [
        {"id": "s1", "kind": "single", "options": [
            {"id": "a", "points": 1}, {"id": "b", "points": 2}, {"id": "c", "points": 2}]},
        {"id": "s2", "kind": "multiple", "max_choices": 1, "options": [
            {"id": "a", "points": 3}, {"id": "b", "points": 2}]},
        {"id": "s3", "kind": "text", "levels": [{"score": 0}, {"score": 2}]},
    ]}
    assert vignette_items(vignette) == [
        Item("s1", (Option("a", False), Option("b", True), Option("c", True))),
        Item("s2", (Option("a", True), Option("b", False))),
        Item("s3", ())]


def test_a_check_attempt_asked_the_keys_of_its_results():
    response = check_response(7, {"q2": True, "q5": False}, {"q2": ["a"], "q5": ["b", "c"]})
    assert response == Response(7, {"q2": 1.0, "q5": 0.0}, {"q2": ("a",), "q5": ("b", "c")})


def test_a_pending_text_stage_is_left_out_of_its_attempt():
    response = vignette_response(3, [
        {"id": "s1", "kind": "single", "score": 0.5, "selected": ["b"]},
        {"id": "s3", "kind": "text", "score": None, "selected": []}])
    assert response == Response(3, {"s1": 0.5}, {"s1": ("b",)})


def test_an_option_named_twice_in_an_answer_counts_once():
    response = check_response(1, {"q": False}, {"q": ["b", "b"]})
    assert response.chosen == {"q": ("b",)}
    stats = analyse(ONE, [response]).items[0]
    assert [o.chosen for o in stats.options] == [0, 1]
